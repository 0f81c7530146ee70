import { describe, expect, it } from "vitest";
import { summarizeMessages } from "./adapter-scaffolding.js";
import {
  readFunctionToolChoice,
  readFunctionTools,
  readResponseFormat,
} from "./chat-completions-request.js";

describe("Chat Completions request parts", () => {
  it("reads function tools and skips entries that are not", () => {
    const schema = { type: "object" };
    expect(
      readFunctionTools([
        { type: "function", function: { name: "a", parameters: schema } },
        { type: "function", function: { name: "b" } },
        { type: "function" },
      ]),
    ).toEqual([
      { name: "a", parameters: schema },
      { name: "b", parameters: undefined },
    ]);
    expect(readFunctionTools(undefined)).toEqual([]);
  });

  it("reads JSON mode from response_format, with the schema when there is one", () => {
    const schema = { type: "object" };
    expect(readResponseFormat({ type: "json_object" })).toEqual({ schema: undefined });
    expect(readResponseFormat({ type: "json_schema", json_schema: { schema } })).toEqual({
      schema,
    });
    expect(readResponseFormat({ type: "json_schema" })).toEqual({ schema: undefined });
    expect(readResponseFormat({ type: "text" })).toBeUndefined();
    expect(readResponseFormat(undefined)).toBeUndefined();
  });

  it("forces a call only for the provider's own words", () => {
    expect(readFunctionToolChoice("required")).toEqual({ type: "required" });
    expect(readFunctionToolChoice("any")).toEqual({ type: "auto" });
    expect(readFunctionToolChoice("any", ["any", "required"])).toEqual({ type: "required" });
    expect(readFunctionToolChoice("none")).toEqual({ type: "none" });
    expect(readFunctionToolChoice({ type: "function", function: { name: "f" } })).toEqual({
      type: "tool",
      name: "f",
    });
  });

  it("summarizes messages: size, last role (developer counts as system), last user text", () => {
    const text = (content: unknown) => (typeof content === "string" ? content : "");
    const seen: unknown[] = [];
    const summary = summarizeMessages(
      [{ role: "user", content: "hello" }, 7, { role: "developer", content: "be brief" }],
      text,
      (message) => seen.push(message.role),
    );
    expect(summary).toEqual({ promptChars: 13, lastRole: "system", lastUserText: "" });
    expect(seen).toEqual(["user", "developer"]);
  });
});
