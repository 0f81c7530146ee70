import { describe, expect, it } from "vitest";
import { chunkText, estimateTokens } from "./text-chunks.js";

describe("chunkText", () => {
  it("splits into word-ish pieces that join back to the text", () => {
    expect(chunkText("Hello big  world ")).toEqual(["Hello", " big", "  world", " "]);
    expect(chunkText("  ")).toEqual(["  "]);
  });

  it("splits into fixed slices with a chunk size", () => {
    expect(chunkText("abcde", 2)).toEqual(["ab", "cd", "e"]);
  });

  it("returns nothing for empty text", () => {
    expect(chunkText("")).toEqual([]);
  });
});

describe("estimateTokens", () => {
  it("counts about four characters per token, at least one", () => {
    expect(estimateTokens(0)).toBe(1);
    expect(estimateTokens(9)).toBe(3);
  });
});
