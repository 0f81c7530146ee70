import type { ChatRequest } from "@llm/core";
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
  });
}
