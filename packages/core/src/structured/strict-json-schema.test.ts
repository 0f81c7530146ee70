import { describe, expect, it } from "vitest";
import type { JsonObject } from "../json.js";
import { allowsStrictMode } from "./strict-json-schema.js";

const closed = (properties: JsonObject): JsonObject => ({
  type: "object",
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

describe("allowsStrictMode", () => {
  it("accepts closed objects whose properties are all required, at every depth", () => {
    expect(
      allowsStrictMode(
        closed({
          name: { type: "string" },
          tags: { type: "array", items: closed({ label: { type: "string" } }) },
          owner: { anyOf: [closed({ id: { type: "number" } }), { type: "null" }] },
          ref: { $ref: "#/$defs/thing" },
        }),
      ),
    ).toBe(true);
    expect(
      allowsStrictMode({ ...closed({ a: { $ref: "#/$defs/x" } }), $defs: { x: closed({}) } }),
    ).toBe(true);
  });

  it("refuses an open object, an optional property or a non-object root", () => {
    expect(allowsStrictMode({ type: "object", properties: { a: { type: "string" } } })).toBe(false);
    expect(allowsStrictMode({ ...closed({ a: { type: "string" } }), required: [] })).toBe(false);
    expect(allowsStrictMode(closed({ inner: { type: "object", properties: {} } }))).toBe(false);
    expect(allowsStrictMode({ type: "array", items: { type: "string" } })).toBe(false);
  });

  it("refuses keywords strict mode rejects, and malformed sub-schemas", () => {
    expect(allowsStrictMode({ ...closed({}), allOf: [closed({})] })).toBe(false);
    expect(allowsStrictMode(closed({ a: { not: { type: "string" } } }))).toBe(false);
    expect(allowsStrictMode(closed({ a: { anyOf: "nope" } }))).toBe(false);
    expect(allowsStrictMode({ ...closed({}), $defs: [] })).toBe(false);
    expect(allowsStrictMode(closed({ a: "string" }))).toBe(false);
  });

  it("treats boolean sub-schemas as fine and gives up past its depth bound", () => {
    expect(allowsStrictMode(closed({ anything: true }))).toBe(true);
    let deep: JsonObject = { type: "string" };
    for (let i = 0; i < 100; i++) deep = closed({ next: deep });
    expect(allowsStrictMode(deep)).toBe(false);
  });
});
