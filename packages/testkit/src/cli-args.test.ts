import { describe, expect, it } from "vitest";
import { CliUsageError, parseServeArgs } from "./cli-args.js";

describe("parseServeArgs", () => {
  it("parses the minimal serve command", () => {
    expect(parseServeArgs(["serve", "--provider", "openai"])).toEqual({
      command: "serve",
      options: { provider: "openai" },
    });
  });

  it("parses every option, in both --key value and --key=value forms", () => {
    const parsed = parseServeArgs([
      "serve",
      "--provider=anthropic",
      "--port",
      "0",
      "--host",
      "0.0.0.0",
      "--latency",
      "300-800",
      "--chunk-ms=20",
      "--chunk-size",
      "4",
      "--faults",
      "0.05",
      "--fault-kinds",
      "reset, rate-limit",
      "--seed",
      "42",
      "--api-key",
      "sk-1",
    ]);
    expect(parsed).toEqual({
      command: "serve",
      options: {
        provider: "anthropic",
        port: 0,
        host: "0.0.0.0",
        latency: { headersMs: [300, 800], chunkMs: 20 },
        chunkSize: 4,
        faults: { rate: 0.05, kinds: ["reset", "rate-limit"] },
        seed: 42,
        apiKey: "sk-1",
      },
    });
  });

  it("defaults fault kinds to the recoverable ones", () => {
    const parsed = parseServeArgs(["serve", "--provider", "gemini", "--faults", "1"]);
    expect(parsed.command === "serve" && parsed.options.faults?.kinds).toEqual([
      "rate-limit",
      "server-error",
      "overloaded",
      "reset",
      "malformed-json",
      "error-mid-stream",
    ]);
  });

  it("sets only the chunk delay when --latency is absent", () => {
    const parsed = parseServeArgs(["serve", "--provider", "ollama", "--chunk-ms", "5-10"]);
    expect(parsed.command === "serve" && parsed.options.latency).toEqual({ chunkMs: [5, 10] });
  });

  it.each([[[]], [["--help"]], [["help"]], [["serve", "-h"]]])("returns help for %j", (argv) => {
    expect(parseServeArgs(argv)).toEqual({ command: "help" });
  });

  it.each([
    [["start"], /Unknown command "start"/],
    [["serve"], /--provider is required/],
    [["serve", "--provider", "cohere"], /--provider "cohere" is unknown/],
    [["serve", "--provider"], /--provider needs a value/],
    [["serve", "--provider", "openai", "extra"], /Unexpected argument "extra"/],
    [["serve", "--provider", "openai", "--colour", "red"], /Unknown option --colour/],
    [
      ["serve", "--provider", "openai", "--port", "70000"],
      /--port "70000" must be an integer between 0 and 65535/,
    ],
    [["serve", "--provider", "openai", "--port", "-1"], /--port "-1"/],
    [
      ["serve", "--provider", "openai", "--latency", "fast"],
      /--latency "fast" must be milliseconds/,
    ],
    [["serve", "--provider", "openai", "--latency", "800-300"], /maximum is below the minimum/],
    [["serve", "--provider", "openai", "--faults", "2"], /--faults "2" must be a probability/],
    [["serve", "--provider", "openai", "--faults", ""], /must be a probability/],
    [["serve", "--provider", "openai", "--fault-kinds", "reset"], /--fault-kinds needs --faults/],
    [
      ["serve", "--provider", "openai", "--faults", "0.1", "--fault-kinds", "fire"],
      /unknown kind "fire"/,
    ],
    [
      ["serve", "--provider", "openai", "--faults", "0.1", "--fault-kinds", ","],
      /--fault-kinds is empty/,
    ],
  ])("rejects %j", (argv, message) => {
    expect(() => parseServeArgs(argv)).toThrow(CliUsageError);
    expect(() => parseServeArgs(argv)).toThrow(message);
  });
});
