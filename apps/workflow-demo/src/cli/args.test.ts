import { describe, expect, it } from "vitest";
import { parseDemoArgs, UsageError } from "./args.js";

describe("parseDemoArgs", () => {
  it("has defaults for a plain run", () => {
    expect(parseDemoArgs([], "/app/llm.config.yaml")).toEqual({
      config: "/app/llm.config.yaml",
      cache: true,
      redisNamespace: "workflow-demo",
      json: false,
      watch: false,
      limit: 200,
      concurrency: 16,
      latencyMs: [300, 800],
      chunkMs: 15,
      down: [],
      help: false,
    });
  });

  it("reads every option", () => {
    const args = parseDemoArgs(
      [
        "--no-cache",
        "--redis",
        "redis://r:6379",
        "--json",
        "--watch",
        "--limit",
        "5",
        "--concurrency",
        "2",
        "--latency",
        "10-20",
        "--chunk-ms",
        "0",
        "--provider-down",
        "openai",
        "--provider-down",
        "gemini",
        "--data-dir",
        "/tmp/d",
        "--config",
        "x.yaml",
        "-h",
      ],
      "d.yaml",
    );
    expect(args).toMatchObject({
      config: "x.yaml",
      cache: false,
      redis: "redis://r:6379",
      json: true,
      watch: true,
      limit: 5,
      concurrency: 2,
      latencyMs: [10, 20],
      chunkMs: 0,
      down: ["openai", "gemini"],
      dataDir: "/tmp/d",
      help: true,
    });
    expect(parseDemoArgs(["--latency", "40"], "d").latencyMs).toEqual([40, 40]);
  });

  it("names the flag that is wrong", () => {
    expect(() => parseDemoArgs(["--limit", "0"], "d")).toThrow(
      /--limit: expected a whole number, got "0"/,
    );
    expect(() => parseDemoArgs(["--latency", "9-1"], "d")).toThrow(/max is below min/);
    expect(() => parseDemoArgs(["--latency", "fast"], "d")).toThrow(UsageError);
    expect(() => parseDemoArgs(["--provider-down", "acme"], "d")).toThrow(
      /unknown provider "acme"/,
    );
    expect(() => parseDemoArgs(["--bogus"], "d")).toThrow();
  });
});
