import { describe, expect, it } from "vitest";
import { defaultReply } from "./default-responder.js";
import type { NormalizedRequest } from "./normalized-request.js";

const base: NormalizedRequest = {
  model: "m",
  stream: false,
  promptChars: 10,
  lastRole: "user",
  lastUserText: "hello",
  tools: [],
  toolChoice: { type: "auto" },
  json: undefined,
  reasoning: false,
  sse: true,
  includeUsage: false,
  identity: "hello",
};
const tool = {
  name: "lookup",
  parameters: { type: "object", properties: { q: { type: "string" } }, required: ["q"] },
};

describe("defaultReply", () => {
  it("answers the same identity with the same text", () => {
    expect(defaultReply(base, 1)).toEqual(defaultReply(base, 1));
    expect(defaultReply(base, 1)).not.toEqual(defaultReply({ ...base, identity: "other" }, 1));
  });

  it("calls a tool the user names, with schema-satisfying arguments", () => {
    const reply = defaultReply({ ...base, tools: [tool], lastUserText: "please LOOKUP this" }, 1);
    expect(reply.toolCalls?.[0]?.name).toBe("lookup");
    expect(typeof reply.toolCalls?.[0]?.arguments.q).toBe("string");
  });

  it("answers with text when tools exist but are not asked for", () => {
    expect(defaultReply({ ...base, tools: [tool] }, 1).toolCalls).toBeUndefined();
    expect(
      defaultReply({ ...base, tools: [tool], lastRole: "assistant" }, 1).toolCalls,
    ).toBeUndefined();
  });

  it("follows forced, required and none tool choices", () => {
    const forced = defaultReply(
      { ...base, tools: [tool], toolChoice: { type: "tool", name: "lookup" } },
      1,
    );
    expect(forced.toolCalls?.[0]?.name).toBe("lookup");
    const unknown = defaultReply(
      { ...base, tools: [tool], toolChoice: { type: "tool", name: "zzz" } },
      1,
    );
    expect(unknown.toolCalls?.[0]?.name).toBe("lookup");
    const required = defaultReply({ ...base, tools: [tool], toolChoice: { type: "required" } }, 1);
    expect(required.toolCalls).toHaveLength(1);
    const none = defaultReply(
      { ...base, tools: [tool], toolChoice: { type: "none" }, lastUserText: "lookup" },
      1,
    );
    expect(none.toolCalls).toBeUndefined();
  });

  it("answers a tool result with text even when a tool is required", () => {
    const reply = defaultReply(
      { ...base, tools: [tool], toolChoice: { type: "required" }, lastRole: "tool" },
      1,
    );
    expect(reply.toolCalls).toBeUndefined();
    expect(reply.text).toBeTruthy();
  });

  it("wraps non-object tool arguments in an object", () => {
    const reply = defaultReply(
      {
        ...base,
        tools: [{ name: "n", parameters: { type: "string" } }],
        toolChoice: { type: "required" },
      },
      1,
    );
    expect(reply.toolCalls?.[0]?.arguments).toEqual({ value: expect.any(String) });
  });

  it("adds reasoning when asked", () => {
    expect(defaultReply({ ...base, reasoning: true }, 1).reasoning).toMatch(/\.$/);
    const withTool = defaultReply(
      { ...base, reasoning: true, tools: [tool], toolChoice: { type: "required" } },
      1,
    );
    expect(withTool.reasoning).toBeTruthy();
  });
});
