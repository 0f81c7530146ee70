import { describe, expect, it } from "vitest";
import { convertToGeminiSchema, isEmptyObjectSchema } from "./convert-to-gemini-schema.js";

describe("convertToGeminiSchema", () => {
  it("drops keywords Gemini rejects, such as $schema and additionalProperties", () => {
    expect(
      convertToGeminiSchema({
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        additionalProperties: false,
        properties: { city: { type: "string", description: "City name", minLength: 1 } },
        required: ["city"],
      }),
    ).toEqual({
      type: "object",
      properties: { city: { type: "string", description: "City name", minLength: 1 } },
      required: ["city"],
    });
  });

  it("turns a nullable type array into nullable", () => {
    expect(convertToGeminiSchema({ type: ["string", "null"] })).toEqual({
      type: "string",
      nullable: true,
    });
  });

  it("turns a type array of several non-null types into anyOf", () => {
    expect(convertToGeminiSchema({ type: ["string", "number"] })).toEqual({
      anyOf: [{ type: "string" }, { type: "number" }],
    });
  });

  it("turns const into a one-value enum", () => {
    expect(convertToGeminiSchema({ type: "string", const: "celsius" })).toEqual({
      type: "string",
      enum: ["celsius"],
    });
  });

  it("turns anyOf with null into a nullable schema", () => {
    expect(convertToGeminiSchema({ anyOf: [{ type: "integer" }, { type: "null" }] })).toEqual({
      type: "integer",
      nullable: true,
    });
  });

  it("turns oneOf into anyOf and converts each branch", () => {
    expect(
      convertToGeminiSchema({
        oneOf: [
          { type: "string", $comment: "x" },
          { type: "object", additionalProperties: true, properties: { a: { type: "number" } } },
        ],
      }),
    ).toEqual({
      anyOf: [{ type: "string" }, { type: "object", properties: { a: { type: "number" } } }],
    });
  });

  it("merges allOf parts and their properties", () => {
    expect(
      convertToGeminiSchema({
        allOf: [
          { type: "object", properties: { a: { type: "string" } } },
          { properties: { b: { type: "number" } }, required: ["b"] },
        ],
      }),
    ).toEqual({
      type: "object",
      properties: { a: { type: "string" }, b: { type: "number" } },
      required: ["b"],
    });
  });

  it("inlines local $refs from $defs and definitions", () => {
    expect(
      convertToGeminiSchema({
        type: "object",
        properties: {
          home: { $ref: "#/$defs/Address", description: "Where they live" },
          work: { $ref: "#/definitions/Address" },
          tags: { type: "array", items: { $ref: "#/$defs/Tag" } },
        },
        $defs: {
          Address: { type: "object", properties: { street: { type: "string" } } },
          Tag: { type: "string" },
        },
        definitions: { Address: { type: "object", properties: { zip: { type: "string" } } } },
      }),
    ).toEqual({
      type: "object",
      properties: {
        // $defs wins over definitions for the same name.
        home: {
          type: "object",
          properties: { street: { type: "string" } },
          description: "Where they live",
        },
        work: { type: "object", properties: { street: { type: "string" } } },
        tags: { type: "array", items: { type: "string" } },
      },
    });
  });

  it("cuts recursive and unknown $refs to a plain object", () => {
    const converted = convertToGeminiSchema({
      $ref: "#/$defs/Node",
      $defs: {
        Node: {
          type: "object",
          properties: { next: { $ref: "#/$defs/Node" }, other: { $ref: "x.json" } },
        },
      },
    });
    let depth = 0;
    let node = converted;
    while (
      node.properties &&
      typeof node.properties === "object" &&
      !Array.isArray(node.properties)
    ) {
      expect((node.properties as Record<string, unknown>).other).toEqual({ type: "object" });
      node = (node.properties as Record<string, Record<string, unknown>>).next as typeof converted;
      depth++;
    }
    expect(node).toEqual({ type: "object" });
    expect(depth).toBe(8);
  });

  it("uses the first schema of a tuple items array", () => {
    expect(convertToGeminiSchema({ type: "array", items: [{ type: "number" }] })).toEqual({
      type: "array",
      items: { type: "number" },
    });
  });

  it("returns an empty schema for a boolean schema", () => {
    expect(convertToGeminiSchema(true)).toEqual({});
  });
});

describe("isEmptyObjectSchema", () => {
  it("is true for an object schema without properties", () => {
    expect(isEmptyObjectSchema({ type: "object", properties: {} })).toBe(true);
    expect(isEmptyObjectSchema({ type: "object" })).toBe(true);
  });

  it("is false for an object schema with properties", () => {
    expect(isEmptyObjectSchema({ type: "object", properties: { a: { type: "string" } } })).toBe(
      false,
    );
  });
});
