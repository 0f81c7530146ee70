import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assertBenchResult, InvalidBenchResult, toResults } from "../lib/validate.ts";
import { benchResult } from "./fixtures.ts";

const rootDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("bench result validation", () => {
  it("accepts a well-formed result", () => {
    expect(toResults(benchResult(), rootDir).map((r) => r.id)).toEqual(["area/sample"]);
  });

  it("rejects a bench that still returns markdown, naming the reason", () => {
    expect(() => toResults("## Old bench\n\n| a |", rootDir)).toThrow(
      /does not return a BenchResult \(it returned a markdown string\)/,
    );
  });

  it("rejects a measures path outside the repository", () => {
    const result = benchResult({ measures: ["../shared/traces"] });
    expect(() => assertBenchResult(result, rootDir)).toThrow(
      "measures path ../shared/traces lies outside the repository",
    );
  });

  it("rejects a measures path the repository does not have", () => {
    const result = benchResult({ measures: ["bench/data/missing.trace"] });
    expect(() => assertBenchResult(result, rootDir)).toThrow(InvalidBenchResult);
  });

  it("rejects a table row whose cell count differs from its columns", () => {
    const result = benchResult({ tables: [{ columns: ["a", "b"], rows: [["only one"]] }] });
    expect(() => assertBenchResult(result, rootDir)).toThrow("must have 2 cells");
  });

  it("rejects an acceptance row without a baseline", () => {
    const row = { check: "x", target: "≤ 1×", measured: "1×", baseline: "", met: true };
    expect(() => assertBenchResult(benchResult({ acceptance: [row] }), rootDir)).toThrow(
      "baseline must be a non-empty string",
    );
  });

  it("rejects an id that could escape bench/results/", () => {
    expect(() => assertBenchResult(benchResult({ id: "../escape" }), rootDir)).toThrow(
      /is not lower-case words/,
    );
  });
});
