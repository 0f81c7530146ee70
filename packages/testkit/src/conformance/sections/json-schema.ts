import {
  type ChatRequest,
  generateObject,
  type JsonSchema,
  type StandardSchemaV1,
  streamObject,
} from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ConformanceContext, drain } from "../context.js";

const person: ChatRequest = {
  messages: [{ role: "user", content: "Describe a person" }],
  responseFormat: {
    type: "json_schema",
    name: "person",
    schema: {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" } },
      required: ["name", "age"],
      additionalProperties: false,
    },
  },
};

interface Person {
  name: string;
  age: number;
}

/** A Standard Schema written by hand (testkit takes no schema library): what `generateObject` validates with. */
const Person: StandardSchemaV1<unknown, Person> = {
  "~standard": {
    version: 1,
    vendor: "testkit",
    validate(value) {
      const v = value as Partial<Person> | null;
      return v !== null && typeof v.name === "string" && Number.isInteger(v.age)
        ? { value: { name: v.name, age: v.age as number } }
        : { issues: [{ message: "expected { name: string, age: integer }" }] };
    },
  },
};
const typedPerson = {
  messages: person.messages,
  schema: Person,
  jsonSchema: (person.responseFormat as { schema: JsonSchema }).schema,
  schemaName: "person",
};

function expectPerson(text: string): void {
  const value = JSON.parse(text) as { name?: unknown; age?: unknown };
  expect(typeof value.name).toBe("string");
  expect(Number.isInteger(value.age)).toBe(true);
}

/**
 * `responseFormat: { type: "json_schema" }` as the request carries it today:
 * the provider sends the schema in its native form (testkit's default responder
 * answers it with conforming JSON) and returns the JSON as text.
 */
export function jsonSchemaSection(ctx: ConformanceContext): void {
  describe("JSON schema response format", () => {
    it("sends the schema and returns conforming JSON text from generate", async () => {
      const response = await ctx.client().generate(person);
      expectPerson(response.text);
      expect(response.finishReason).toBe("stop");
    });

    it("streams conforming JSON text", async () => {
      const events = await drain(ctx.client().stream(person));
      expectPerson(events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join(""));
      expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
    });

    it("gives generateObject a validated, typed object through the native JSON mode", async () => {
      const { object, attempts } = await generateObject(ctx.client(), typedPerson);
      expect(typeof object.name).toBe("string");
      expect(Number.isInteger(object.age)).toBe(true);
      expect(attempts).toBe(1);
    });

    it("gives streamObject the same object, after its partials", async () => {
      const { object } = await generateObject(ctx.client(), typedPerson);
      const events = [];
      for await (const event of streamObject(ctx.client(), typedPerson)) events.push(event);
      expect(events.at(-1)).toMatchObject({ type: "object", object });
      expect(events.slice(0, -1).every((event) => event.type === "partial")).toBe(true);
    });
  });
}
