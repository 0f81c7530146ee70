import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, NetworkError } from "../errors/errors.js";
import type { ChatRequest } from "../request.js";
import { scriptedClient } from "../test-support/scripted-client.js";
import { generateObject } from "./generate-object.js";
import { ObjectValidationError } from "./object-validation-error.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

const Ticket = z.object({
  category: z.enum(["billing", "bug", "other"]),
  urgency: z.number().int().min(1).max(3),
  tags: z.array(z.object({ label: z.string() })),
});

const ask = {
  messages: [{ role: "user" as const, content: "Classify: my card was charged twice" }],
};
const good = '{"category":"billing","urgency":2,"tags":[{"label":"card"}]}';

describe("generateObject", () => {
  it("returns the validated, typed object and the response it came from", async () => {
    const client = scriptedClient([{ text: good }]);
    const result = await generateObject(client, { ...ask, schema: Ticket, temperature: 0 });
    expect(result.object).toEqual({ category: "billing", urgency: 2, tags: [{ label: "card" }] });
    const category: "billing" | "bug" | "other" = result.object.category;
    expect(category).toBe("billing");
    expect(result.attempts).toBe(1);
    expect(result.response.text).toBe(good);
  });

  it("sends the schema as a strict json_schema response format, and no field of its own", async () => {
    const client = scriptedClient([{ text: good }]);
    await generateObject(
      client,
      { ...ask, schema: Ticket, schemaName: "ticket", schemaDescription: "A triaged ticket" },
      { timeoutMs: 5_000 },
    );
    const sent = client.calls[0]?.request as ChatRequest;
    expect(Object.keys(sent).sort()).toEqual(["messages", "responseFormat"]);
    expect(sent.responseFormat).toEqual({
      type: "json_schema",
      name: "ticket",
      description: "A triaged ticket",
      strict: true,
      schema: {
        type: "object",
        properties: {
          category: { type: "string", enum: ["billing", "bug", "other"] },
          urgency: { type: "integer", minimum: 1, maximum: 3 },
          tags: {
            type: "array",
            items: {
              type: "object",
              properties: { label: { type: "string" } },
              required: ["label"],
              additionalProperties: false,
            },
          },
        },
        required: ["category", "urgency", "tags"],
        additionalProperties: false,
      },
    });
    expect(client.calls[0]?.options).toEqual({ timeoutMs: 5_000 });
  });

  it("sends a schema with optional fields non-strictly, and reuses one format per schema", async () => {
    const Loose = z.object({ note: z.string().optional() });
    const client = scriptedClient([{ text: "{}" }]);
    await generateObject(client, { ...ask, schema: Loose });
    await generateObject(client, { ...ask, schema: Loose });
    const [first, second] = client.calls.map((call) => call.request.responseFormat);
    expect(first).toMatchObject({ name: "response", strict: false });
    expect(second).toBe(first);
  });

  it("throws ObjectValidationError with the raw text when the answer is not JSON", async () => {
    const client = scriptedClient([{ text: "Sure! It is billing." }]);
    const error = await generateObject(client, { ...ask, schema: Ticket }).catch((e) => e);
    expect(error).toBeInstanceOf(ObjectValidationError);
    expect(error).toMatchObject({
      code: "OBJECT_VALIDATION",
      retryable: false,
      schemaName: "response",
      text: "Sure! It is billing.",
      attempts: 1,
      provider: "fake",
    });
    expect(error.issues[0].path).toBe("");
    expect(error.issues[0].message).toMatch(/^not valid JSON/);
  });

  it("names every issue the schema found, with its path", async () => {
    const client = scriptedClient([
      { text: '{"category":"refund","urgency":9,"tags":[{"label":1}]}' },
    ]);
    const error = (await generateObject(client, { ...ask, schema: Ticket }).catch(
      (e) => e,
    )) as ObjectValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "category",
      "urgency",
      "tags[0].label",
    ]);
    expect(error.message).toMatch(/^The answer does not match the "response" schema: category: /);
  });

  it("says when the answer was cut at maxTokens, and lists how many more issues there are", async () => {
    const Many = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string() });
    const cut = await validateWith(Many, "{}", "length");
    expect(cut.message).toContain("(the answer was cut at maxTokens)");
    expect(cut.message).toContain("(+1 more)");
  });

  it("accepts an answer wrapped in a Markdown code fence", async () => {
    const client = scriptedClient([{ text: `\`\`\`json\n${good}\n\`\`\`` }]);
    const { object } = await generateObject(client, { ...ask, schema: Ticket });
    expect(object.urgency).toBe(2);
  });

  it("sends a refused answer back with its issues when maxRepairs allows, and returns the fix", async () => {
    const client = scriptedClient([{ text: '{"category":"refund"}' }, { text: good }]);
    const result = await generateObject(client, { ...ask, schema: Ticket }, { maxRepairs: 1 });
    expect(result.attempts).toBe(2);
    expect(result.object.category).toBe("billing");
    const repair = client.calls[1]?.request.messages ?? [];
    expect(repair.slice(0, 1)).toEqual(ask.messages);
    expect(repair[1]).toEqual({ role: "assistant", content: '{"category":"refund"}' });
    expect(repair[2]?.role).toBe("user");
    expect(repair[2]?.content).toContain('does not match the "response" JSON schema');
    expect(repair[2]?.content).toContain("- category: Invalid option");
  });

  it("gives up after maxRepairs and reports the attempts made", async () => {
    const client = scriptedClient([{ text: "no" }]);
    const error = await generateObject(client, { ...ask, schema: Ticket }, { maxRepairs: 2 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ObjectValidationError);
    expect(error.attempts).toBe(3);
    expect(client.calls).toHaveLength(3);
  });

  it("does not repair a call that failed for another reason", async () => {
    const client = scriptedClient([{ error: new NetworkError("reset") }]);
    await expect(
      generateObject(client, { ...ask, schema: Ticket }, { maxRepairs: 3 }),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(client.calls).toHaveLength(1);
  });

  it("refuses a maxRepairs outside 0–5 with a ConfigError naming it", async () => {
    const client = scriptedClient([{ text: good }]);
    for (const maxRepairs of [-1, 6, 1.5]) {
      const error = await generateObject(client, { ...ask, schema: Ticket }, { maxRepairs }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues[0].path).toBe("maxRepairs");
    }
    expect(client.calls).toHaveLength(0);
  });
});

describe("generateObject with any Standard Schema", () => {
  /** A hand-made Standard Schema that cannot describe itself, with an async validator. */
  const positive: StandardSchemaV1<unknown, { n: number }> = {
    "~standard": {
      version: 1,
      vendor: "handmade",
      validate: async (value) => {
        const n = (value as { n?: unknown }).n;
        return typeof n === "number" && n > 0
          ? { value: { n } }
          : { issues: [{ message: "n must be positive", path: [{ key: "n" }] }] };
      },
    },
  };
  const jsonSchema = { type: "object", properties: { n: { type: "number" } }, required: ["n"] };

  it("validates with the schema and sends the JSON Schema given beside it", async () => {
    const client = scriptedClient([{ text: '{"n":3}' }, { text: '{"n":-1}' }]);
    const { object } = await generateObject(client, { ...ask, schema: positive, jsonSchema });
    expect(object.n).toBe(3);
    expect(client.calls[0]?.request.responseFormat).toMatchObject({
      schema: jsonSchema,
      strict: false,
    });
    const error = await generateObject(client, { ...ask, schema: positive, jsonSchema }).catch(
      (e) => e,
    );
    expect(error.issues).toEqual([{ path: "n", message: "n must be positive" }]);
  });

  it("asks for jsonSchema when the schema cannot describe itself", async () => {
    const error = await generateObject(scriptedClient([{ text: "{}" }]), {
      ...ask,
      schema: positive,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues[0]).toMatchObject({ path: "jsonSchema" });
    expect(error.message).toContain("handmade schema cannot describe itself");
  });

  it("reports a schema whose converter throws, a non-object root and a bad name", async () => {
    const failing: StandardSchemaV1<unknown, unknown> = {
      "~standard": {
        ...positive["~standard"],
        jsonSchema: {
          input: () => ({}),
          output: () => {
            throw new Error("transforms cannot be represented");
          },
        },
      },
    };
    const client = scriptedClient([{ text: "{}" }]);
    const cases: Array<[Parameters<typeof generateObject>[1], string]> = [
      [{ ...ask, schema: failing }, "jsonSchema"],
      [{ ...ask, schema: z.array(z.string()) }, "jsonSchema.type"],
      [{ ...ask, schema: Ticket, schemaName: "has spaces" }, "schemaName"],
      [{ ...ask, schema: {} as StandardSchemaV1 }, "schema"],
    ];
    for (const [request, path] of cases) {
      const error = await generateObject(client, request).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues[0].path).toBe(path);
    }
    expect(client.calls).toHaveLength(0);
  });
});

async function validateWith(
  schema: StandardSchemaV1,
  text: string,
  finishReason: "stop" | "length",
): Promise<ObjectValidationError> {
  const client = scriptedClient([{ text }]);
  const generate = client.generate.bind(client);
  client.generate = async (request, options) => ({
    ...(await generate(request, options)),
    finishReason,
  });
  return (await generateObject(client, { ...ask, schema }).catch(
    (e) => e,
  )) as ObjectValidationError;
}
