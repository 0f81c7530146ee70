import { describe, expect, it } from "vitest";
import {
  toFunctionToolChoiceParam,
  toFunctionToolParams,
  toResponseFormatParam,
} from "./chat-completions-params.js";

describe("Chat Completions params", () => {
  it("writes function tools in the SDK's key order, description and strict only when set", () => {
    const parameters = { type: "object" };
    const tools = toFunctionToolParams([
      { name: "a", description: "d", parameters, strict: true },
      { name: "b", parameters },
    ]);
    expect(JSON.stringify(tools)).toBe(
      '[{"type":"function","function":{"name":"a","description":"d","parameters":{"type":"object"},"strict":true}},' +
        '{"type":"function","function":{"name":"b","parameters":{"type":"object"}}}]',
    );
  });

  it("names a forced tool as a function, passes the string choices through", () => {
    expect(toFunctionToolChoiceParam("required")).toBe("required");
    expect(toFunctionToolChoiceParam({ type: "tool", name: "f" })).toEqual({
      type: "function",
      function: { name: "f" },
    });
  });

  it("maps response formats; a schema is strict only where strict mode allows it", () => {
    expect(toResponseFormatParam({ type: "text" })).toEqual({ type: "text" });
    expect(toResponseFormatParam({ type: "json" })).toEqual({ type: "json_object" });
    const closed = {
      type: "object",
      properties: { x: { type: "number" } },
      required: ["x"],
      additionalProperties: false,
    };
    expect(
      toResponseFormatParam({ type: "json_schema", name: "s", schema: closed, description: "d" }),
    ).toEqual({
      type: "json_schema",
      json_schema: { name: "s", schema: closed, strict: true, description: "d" },
    });
    const open = { type: "object" };
    expect(toResponseFormatParam({ type: "json_schema", name: "s", schema: open })).toEqual({
      type: "json_schema",
      json_schema: { name: "s", schema: open, strict: false },
    });
  });
});
