import { ConfigError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { interpolateString } from "./interpolate.js";
import { parseConfigText } from "./load-config.js";

const env = { HOST: "example.com", EMPTY: "", PORT: "8080" };

describe("interpolateString", () => {
  it("replaces ${VAR} with the variable", () => {
    expect(interpolateString("https://${HOST}:${PORT}/v1", env)).toEqual({
      ok: true,
      value: "https://example.com:8080/v1",
    });
  });

  it("uses the default of ${VAR:-default} when the variable is unset or empty", () => {
    expect(interpolateString("${MISSING:-fallback}", env)).toEqual({ ok: true, value: "fallback" });
    expect(interpolateString("${EMPTY:-fallback}", env)).toEqual({ ok: true, value: "fallback" });
    expect(interpolateString("${HOST:-fallback}", env)).toEqual({ ok: true, value: "example.com" });
    expect(interpolateString("${MISSING:-}", env)).toEqual({ ok: true, value: "" });
  });

  it("fails ${VAR:?message} with the message when the variable is unset or empty", () => {
    expect(interpolateString("${MISSING:?set MISSING to the key}", env)).toEqual({
      ok: false,
      variable: "MISSING",
      message: "environment variable MISSING is required: set MISSING to the key",
    });
    expect(interpolateString("${EMPTY:?}", env)).toMatchObject({ ok: false, variable: "EMPTY" });
    expect(interpolateString("${HOST:?x}", env)).toEqual({ ok: true, value: "example.com" });
  });

  it("fails a plain ${VAR} that is not set", () => {
    expect(interpolateString("${NOPE}", env)).toEqual({
      ok: false,
      variable: "NOPE",
      message: "environment variable NOPE is not set",
    });
  });

  it("keeps $${VAR} as a literal ${VAR}", () => {
    expect(interpolateString("cost: $${HOST} and ${HOST}", env)).toEqual({
      ok: true,
      value: "cost: ${HOST} and example.com",
    });
    expect(interpolateString("$${unterminated", env)).toEqual({
      ok: true,
      value: "${unterminated",
    });
  });

  it("leaves a lone dollar sign alone", () => {
    expect(interpolateString("price $5 or $", env)).toEqual({ ok: true, value: "price $5 or $" });
  });

  it("rejects an unterminated or malformed reference", () => {
    expect(interpolateString("${HOST", env)).toMatchObject({ ok: false, message: /unterminated/ });
    expect(interpolateString("${}", env)).toMatchObject({
      ok: false,
      message: /invalid reference/,
    });
    expect(interpolateString("${9LIVES}", env)).toMatchObject({
      ok: false,
      message: /invalid reference/,
    });
  });
});

describe("references in files", () => {
  it("resolves references in nested values and lists", () => {
    const config = parseConfigText(
      [
        "clients:",
        "  main:",
        "    provider: openai",
        "    model: ${MODEL:-gpt-4o-mini}",
        "    baseURL: https://${HOST}/v1",
        "    fallbacks: []",
        "    params: { maxTokens: '${PORT}' }",
      ].join("\n"),
      { env },
    );
    expect(config.clients.main?.model).toBe("gpt-4o-mini");
    expect(config.clients.main?.baseURL?.reveal()).toBe("https://example.com/v1");
    expect(config.clients.main?.params?.maxTokens).toBe(8080);
  });

  it("names the variable, the key path and the position of a missing required variable", () => {
    const text = "clients:\n  main:\n    provider: openai\n    model: ${MODEL:?pick a model}\n";
    let error: unknown;
    try {
      parseConfigText(text, { file: "llm.yaml", env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: "clients.main.model",
        message: "environment variable MODEL is required: pick a model",
        file: "llm.yaml",
        line: 4,
        column: 12,
      },
    ]);
  });

  it("reports every unresolved reference at once", () => {
    const text =
      "clients:\n  a: { provider: x, model: '${A}' }\n  b: { provider: x, model: '${B}' }\n";
    expect(() => parseConfigText(text, { env: {} })).toThrowError(
      /2 problems[\s\S]*clients\.a\.model: environment variable A is not set[\s\S]*clients\.b\.model: environment variable B is not set/,
    );
  });
});
