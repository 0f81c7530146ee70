import { describe, expect, it } from "vitest";
import { ConfigError, InvalidRequestError, ParseError } from "../errors/errors.js";
import { checkEmbeddingBatch, checkEmbeddingVectors } from "./embedding-batch.js";

const client = { provider: "p", model: "m", maxInputsPerCall: 2 };

describe("checkEmbeddingBatch", () => {
  it("takes the request's model over the client's", () => {
    expect(checkEmbeddingBatch(client, { inputs: ["a"] }).model).toBe("m");
    expect(checkEmbeddingBatch(client, { inputs: ["a"], model: "x" }).model).toBe("x");
  });

  it("refuses a batch without a model with a ConfigError naming model", () => {
    expect(() =>
      checkEmbeddingBatch({ provider: "p", maxInputsPerCall: 2 }, { inputs: [] }),
    ).toThrow(ConfigError);
  });

  it("refuses more inputs than the provider takes per call", () => {
    expect(() => checkEmbeddingBatch(client, { inputs: ["a", "b", "c"] })).toThrow(
      "p takes at most 2 inputs per embedding call, got 3",
    );
  });

  it.each([
    [{ inputs: "a" }, "inputs: expected an array of strings, got string"],
    [{ inputs: ["a", 1] }, "inputs[1]: expected a string, got number"],
    [{ inputs: [null] }, "inputs[0]: expected a string, got null"],
    [{ inputs: ["a"], dimensions: 0 }, "dimensions: expected a positive integer, got 0"],
    [{ inputs: ["a"], dimensions: 1.5 }, "dimensions: expected a positive integer"],
  ])("refuses %j with an InvalidRequestError", (request, message) => {
    let error: unknown;
    try {
      checkEmbeddingBatch(client, request as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain(message);
  });
});

describe("checkEmbeddingVectors", () => {
  const v = (n: number) => new Float32Array(n);

  it("accepts one vector per input of one size", () => {
    expect(() => checkEmbeddingVectors("p", [v(3), v(3)], 2, undefined)).not.toThrow();
    expect(() => checkEmbeddingVectors("p", [v(3)], 1, 3)).not.toThrow();
  });

  it.each([
    [[v(3)], 2, undefined, "returned 1 embeddings for 2 inputs"],
    [[v(3), v(2)], 2, undefined, "2 dimensions, expected 3"],
    [[v(3)], 1, 4, "3 dimensions, expected 4"],
    [[v(0)], 1, undefined, "0 dimensions"],
  ])("refuses %#: a short or ragged answer", (vectors, inputs, dimensions, message) => {
    expect(() => checkEmbeddingVectors("p", vectors, inputs, dimensions)).toThrow(ParseError);
    expect(() => checkEmbeddingVectors("p", vectors, inputs, dimensions)).toThrow(message);
  });
});
