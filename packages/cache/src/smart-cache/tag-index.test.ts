import { describe, expect, it } from "vitest";
import { TagIndex } from "./tag-index.js";

describe("TagIndex", () => {
  it("finds a tag's keys and forgets a key's tags when it is untagged", () => {
    const index = new TagIndex();
    index.tag("a", ["x", "y"]);
    index.tag("b", ["x"]);
    expect(index.keysOf("x").sort()).toEqual(["a", "b"]);
    index.untag("a");
    expect(index.keysOf("x")).toEqual(["b"]);
    expect(index.keysOf("y")).toEqual([]);
    index.clear();
    expect(index.keysOf("x")).toEqual([]);
  });
});
