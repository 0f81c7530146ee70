import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors/index.js";
import { readRequestDefaults } from "./request-defaults.js";

describe("readRequestDefaults", () => {
  it("returns every known default with its value", () => {
    const defaults = {
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      maxTokens: 256,
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      stop: ["END"],
    };
    expect(readRequestDefaults("p", defaults)).toEqual(defaults);
  });

  it("returns an empty object for no defaults", () => {
    expect(readRequestDefaults("p", {})).toEqual({});
  });

  it("names every bad key in one ConfigError, with the provider", () => {
    const error = (() => {
      try {
        readRequestDefaults("acme", { temperature: "0.5", stop: "END", topK: 3 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^Invalid defaults for provider "acme"/);
    expect((error as ConfigError).provider).toBe("acme");
    expect((error as ConfigError).issues).toEqual([
      { path: "defaults.temperature", message: "must be a number" },
      { path: "defaults.stop", message: "must be an array of strings" },
    ]);
  });

  it("refuses numbers that are not finite and stop lists with non-strings", () => {
    expect(() => readRequestDefaults("p", { temperature: Number.NaN })).toThrow(
      "defaults.temperature: must be a number",
    );
    expect(() => readRequestDefaults("p", { maxTokens: Number.POSITIVE_INFINITY })).toThrow(
      "defaults.maxTokens: must be a number",
    );
    expect(() => readRequestDefaults("p", { stop: ["a", 1] })).toThrow(
      "defaults.stop: must be an array of strings",
    );
  });

  it("refuses a key outside `allowed`, listing the allowed ones in their order", () => {
    const allowed = ["temperature", "maxTokens", "stop"] as const;
    expect(readRequestDefaults("p", { maxTokens: 9 }, allowed)).toEqual({ maxTokens: 9 });
    expect(() => readRequestDefaults("p", { topK: 40 }, allowed)).toThrow(
      "defaults.topK: unknown default (known: temperature, maxTokens, stop)",
    );
  });

  it("lists every known key for an unknown one when nothing is restricted", () => {
    expect(() => readRequestDefaults("p", { temprature: 1 })).toThrow(
      "defaults.temprature: unknown default (known: temperature, topP, topK, maxTokens, seed, frequencyPenalty, presencePenalty, stop)",
    );
  });
});
