import { describe, expect, it } from "vitest";
import { sampleFromSchema } from "./json-schema-sample.js";
import { Prng } from "./prng.js";

const sample = (schema: unknown, seed = 1) => sampleFromSchema(schema, new Prng(seed));

describe("sampleFromSchema", () => {
  it("fills every property and required key of an object", () => {
    const value = sample({
      type: "object",
      properties: {
        name: { type: "string" },
        age: { type: "integer", minimum: 3, maximum: 5 },
        ok: { type: "boolean" },
      },
      required: ["name", "age", "extra"],
    }) as Record<string, unknown>;
    expect(typeof value.name).toBe("string");
    expect(value.age).toBeGreaterThanOrEqual(3);
    expect(value.age).toBeLessThanOrEqual(5);
    expect(typeof value.ok).toBe("boolean");
    expect(typeof value.extra).toBe("string");
  });

  it("honours enum, const, default and nullable type lists", () => {
    expect(["a", "b"]).toContain(sample({ enum: ["a", "b"] }));
    expect(sample({ const: 3 })).toBe(3);
    expect(sample({ type: "string", default: "d" })).toBe("d");
    expect(typeof sample({ type: ["null", "number"] })).toBe("number");
    expect(sample({ type: ["null"] })).toBeNull();
    expect(sample({ type: "null" })).toBeNull();
  });

  it("generates arrays of at least minItems items", () => {
    expect(sample({ type: "array", items: { type: "number" }, minItems: 3 })).toHaveLength(3);
    expect(sample({ type: "array" })).toEqual([expect.any(String)]);
  });

  it("takes the first anyOf / oneOf branch and merges allOf objects", () => {
    expect(typeof sample({ anyOf: [{ type: "integer" }, { type: "string" }] })).toBe("number");
    expect(typeof sample({ oneOf: [{ type: "boolean" }] })).toBe("boolean");
    expect(
      sample({ allOf: [{ properties: { a: { const: 1 } } }, { properties: { b: { const: 2 } } }] }),
    ).toEqual({ a: 1, b: 2 });
    expect(sample({ allOf: [{ const: 1 }, { const: 2 }] })).toBe(1);
    expect(sample({ allOf: [] })).toBeNull();
  });

  it("resolves local $defs and definitions references", () => {
    const schema = {
      type: "object",
      properties: {
        point: { $ref: "#/$defs/point" },
        tag: { $ref: "#/definitions/tag" },
        bad: { $ref: "other.json" },
      },
      $defs: { point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
      definitions: { tag: { const: "t" } },
    };
    const value = sample(schema) as { point: { x: number }; tag: string; bad: unknown };
    expect(typeof value.point.x).toBe("number");
    expect(value.tag).toBe("t");
    expect(typeof value.bad).toBe("string");
  });

  it("stops at a recursion depth instead of looping", () => {
    const schema = {
      $ref: "#/$defs/node",
      $defs: {
        node: {
          type: "object",
          properties: {
            child: { $ref: "#/$defs/node" },
            list: { type: "array", items: { $ref: "#/$defs/node" } },
          },
        },
      },
    };
    expect(() => JSON.stringify(sample(schema))).not.toThrow();
  });

  it("formats strings by format and minimum length", () => {
    expect(sample({ type: "string", format: "date-time" })).toBe("2025-01-15T10:30:00Z");
    expect(sample({ type: "string", format: "date" })).toBe("2025-01-15");
    expect(sample({ type: "string", format: "email" })).toMatch(/@example\.com$/);
    expect(sample({ type: "string", format: "uri" })).toMatch(/^https:\/\//);
    expect(sample({ type: "string", format: "uuid" })).toMatch(/^[0-9a-f-]{36}$/);
    expect((sample({ type: "string", minLength: 40 }) as string).length).toBeGreaterThanOrEqual(40);
  });

  it("accepts Gemini's upper-case types and no schema at all", () => {
    expect(sample({ type: "OBJECT", properties: { n: { type: "INTEGER" } } })).toEqual({
      n: expect.any(Number),
    });
    expect(typeof sample(undefined)).toBe("string");
    expect(sample({ properties: { a: { const: 1 } } })).toEqual({ a: 1 });
  });

  it("is deterministic for a seed", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "string" }, b: { type: "integer" } },
    };
    expect(sample(schema, 5)).toEqual(sample(schema, 5));
  });
});
