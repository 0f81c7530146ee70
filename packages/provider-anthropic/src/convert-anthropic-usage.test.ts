import { describe, expect, it } from "vitest";
import { convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage.js";

describe("convertAnthropicUsage", () => {
  it("counts cache reads and writes as input and reports cache reads as cached", () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 50,
        cache_creation_input_tokens: 200,
        cache_read_input_tokens: 1000,
        output_tokens: 80,
      }),
    ).toEqual({ inputTokens: 1250, outputTokens: 80, totalTokens: 1330, cachedInputTokens: 1000 });
  });

  it("returns zero usage when there is none", () => {
    expect(convertAnthropicUsage(undefined)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
    });
  });
});

describe("mergeAnthropicUsage", () => {
  it("lets later non-null fields win", () => {
    expect(
      mergeAnthropicUsage(
        {
          input_tokens: 43,
          output_tokens: 1,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
        {
          input_tokens: 61,
          output_tokens: 2,
          cache_read_input_tokens: 5,
          cache_creation_input_tokens: 7,
        },
      ),
    ).toEqual({
      input_tokens: 61,
      output_tokens: 2,
      cache_read_input_tokens: 5,
      cache_creation_input_tokens: 7,
    });
    expect(
      mergeAnthropicUsage({ input_tokens: 17, output_tokens: 1 }, { output_tokens: 227 }),
    ).toEqual({
      input_tokens: 17,
      output_tokens: 227,
    });
  });

  it("keeps the base when there is no update and copies the update when there is no base", () => {
    const base = { input_tokens: 1 };
    expect(mergeAnthropicUsage(base, null)).toBe(base);
    expect(mergeAnthropicUsage(undefined, { output_tokens: 3 })).toEqual({ output_tokens: 3 });
  });
});
