import { describe, expect, it } from "vitest";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";

describe("mapOllamaFinishReason", () => {
  it.each([
    ["stop", false, "stop"],
    ["stop", true, "tool-calls"],
    [undefined, true, "tool-calls"],
    ["length", false, "length"],
    ["length", true, "length"],
    ["load", false, "other"],
    ["unload", false, "other"],
    [undefined, false, "other"],
  ] as const)("maps %s (tool calls: %s) to %s", (raw, hasToolCalls, expected) => {
    expect(mapOllamaFinishReason(raw, hasToolCalls)).toBe(expected);
  });
});

describe("convertOllamaUsage", () => {
  it("reads prompt_eval_count and eval_count", () => {
    expect(convertOllamaUsage({ prompt_eval_count: 26, eval_count: 298 })).toEqual({
      inputTokens: 26,
      outputTokens: 298,
      totalTokens: 324,
    });
  });

  it("counts a prompt served from the KV cache (no prompt_eval_count) as 0", () => {
    expect(convertOllamaUsage({ eval_count: 5 })).toEqual({
      inputTokens: 0,
      outputTokens: 5,
      totalTokens: 5,
    });
  });
});
