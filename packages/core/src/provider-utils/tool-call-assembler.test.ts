import { describe, expect, it } from "vitest";
import type { StreamEvent } from "../stream-event.js";
import { ToolCallAssembler } from "./tool-call-assembler.js";

describe("ToolCallAssembler", () => {
  it("emits a delta per argument fragment and one parsed call at flush", () => {
    const tools = new ToolCallAssembler();
    const out: StreamEvent[] = [];
    tools.append(0, "call_1", "get", '{"a":', out);
    tools.append(0, undefined, null, "1}", out);
    tools.flush(out);
    expect(out).toEqual([
      {
        type: "tool-call-delta",
        index: 0,
        toolCallId: "call_1",
        toolName: "get",
        argsDelta: '{"a":',
      },
      { type: "tool-call-delta", index: 0, toolCallId: "call_1", toolName: "get", argsDelta: "1}" },
      { type: "tool-call", index: 0, toolCall: { id: "call_1", name: "get", input: { a: 1 } } },
    ]);
  });

  it("emits each call once, skipping indexes no fragment used", () => {
    const tools = new ToolCallAssembler();
    const out: StreamEvent[] = [];
    tools.append(2, null, "b", undefined, out);
    tools.flush(out);
    tools.flush(out);
    expect(out).toHaveLength(1);
    const call = out[0] as Extract<StreamEvent, { type: "tool-call" }>;
    expect(call.index).toBe(2);
    expect(call.toolCall.name).toBe("b");
    expect(call.toolCall.id).toMatch(/^call/);
    expect(call.toolCall.input).toEqual({});
  });

  it("keeps the first name a call got", () => {
    const tools = new ToolCallAssembler();
    const out: StreamEvent[] = [];
    tools.append(0, "c", "first", "", out);
    tools.append(0, "c", "second", "{}", out);
    expect(out[0]).toMatchObject({ toolName: "first" });
  });

  it("indexFor continues the open call, and opens a new one for a new id or after a flush", () => {
    const tools = new ToolCallAssembler();
    const out: StreamEvent[] = [];
    expect(tools.indexFor(undefined)).toBe(0);
    tools.append(tools.indexFor("a"), "a", "f", "{", out);
    expect(tools.indexFor(undefined)).toBe(0);
    expect(tools.indexFor("a")).toBe(0);
    expect(tools.indexFor("b")).toBe(1);
    tools.append(0, undefined, undefined, "}", out);
    tools.flush(out);
    expect(tools.indexFor(undefined)).toBe(1);
  });
});
