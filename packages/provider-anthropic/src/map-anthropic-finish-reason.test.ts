import { describe, expect, it } from "vitest";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.js";

describe("mapAnthropicFinishReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool-calls"],
    ["refusal", "content-filter"],
    ["something_new", "other"],
    [null, "other"],
  ] as const)("maps %s to %s", (raw, unified) => {
    expect(mapAnthropicFinishReason(raw)).toBe(unified);
  });

  it("treats tool_use as a normal stop when the answer came through the json tool", () => {
    expect(mapAnthropicFinishReason("tool_use", true)).toBe("stop");
  });
});
