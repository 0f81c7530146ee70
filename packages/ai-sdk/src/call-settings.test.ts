import { InvalidRequestError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { readCallSettings } from "./call-settings.js";

describe("readCallSettings", () => {
  it("reads the cache mode and the deadline", () => {
    expect(readCallSettings(undefined)).toEqual({});
    expect(readCallSettings({ cache: "bypass", timeoutMs: 500 })).toEqual({
      metadata: { cache: "bypass" },
      timeoutMs: 500,
    });
  });

  it.each([
    ["a non-object", "fast", "providerOptions.llmKit must be an object"],
    ["an array", [], "providerOptions.llmKit must be an object"],
    ["an unknown cache mode", { cache: "sometimes" }, 'providerOptions.llmKit.cache must be "use"'],
    [
      "a negative deadline",
      { timeoutMs: -1 },
      "providerOptions.llmKit.timeoutMs must be a positive",
    ],
    ["an unknown setting", { retries: 3 }, "providerOptions.llmKit.retries is not a setting"],
  ])("refuses %s with an error naming the setting", (_what, given, message) => {
    expect(() => readCallSettings(given)).toThrow(InvalidRequestError);
    expect(() => readCallSettings(given)).toThrow(message);
  });
});
