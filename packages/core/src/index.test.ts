import { describe, expect, it } from "vitest";
import { compose, type LLMClient } from "./index.js";

describe("scaffold", () => {
  it("resolves the package from source", () => {
    const client: LLMClient = {
      provider: "x",
      generate: async () => {
        throw new Error("unused");
      },
      stream: () => ({ async *[Symbol.asyncIterator]() {} }),
    };
    expect(compose(client).provider).toBe("x");
  });
});
