import { describe, expect, it } from "vitest";
import { AuthenticationError, ConfigError, ParseError } from "../errors/errors.js";
import { redactSecrets } from "../redact.js";
import { Secret } from "../secret.js";
import { readAPIKey } from "./api-key.js";
import { normalizeBaseURL } from "./base-url.js";
import { generateId } from "./generate-id.js";
import { safeParseJSON } from "./safe-parse-json.js";

describe("generateId", () => {
  it("starts with the prefix and differs each call", () => {
    const a = generateId("chatcmpl");
    expect(a).toMatch(/^chatcmpl-[0-9A-Za-z]{16}$/);
    expect(generateId("chatcmpl")).not.toBe(a);
    expect(generateId("", 8)).toMatch(/^[0-9A-Za-z]{8}$/);
  });
});

describe("safeParseJSON", () => {
  it("returns the value of valid JSON", () => {
    expect(safeParseJSON('{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } });
  });

  it("returns a ParseError naming where for invalid JSON", () => {
    const result = safeParseJSON(`{"a": ${"x".repeat(200)}`, "tool arguments");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(ParseError);
    expect(result.error.where).toBe("tool arguments");
    expect(result.error.message.length).toBeLessThan(150);
  });
});

describe("readAPIKey", () => {
  it("prefers the key passed in settings, also as a Secret", () => {
    expect(
      readAPIKey({
        provider: "openai",
        apiKey: "sk-given-key-123",
        envNames: ["OPENAI_API_KEY"],
        env: {},
      }),
    ).toBe("sk-given-key-123");
    expect(
      readAPIKey({ provider: "openai", apiKey: new Secret("secret-from-settings"), envNames: [] }),
    ).toBe("secret-from-settings");
  });

  it("reads the first set variable of the environment and registers it for redaction", () => {
    const key = readAPIKey({
      provider: "gemini",
      envNames: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
      env: { GOOGLE_API_KEY: " ", GEMINI_API_KEY: "plain-env-value-42" },
    });
    expect(key).toBe("plain-env-value-42");
    expect(redactSecrets("key is plain-env-value-42")).toBe("key is [REDACTED]");
  });

  it("throws AuthenticationError naming the variables to set", () => {
    const error = (() => {
      try {
        readAPIKey({ provider: "openai", envNames: ["OPENAI_API_KEY"], env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe(
      "No API key for openai: set OPENAI_API_KEY or pass apiKey",
    );
  });

  it("reads process.env when no env is given", () => {
    process.env.LLM_CORE_TEST_KEY = "process-env-key-value";
    try {
      expect(readAPIKey({ provider: "x", envNames: ["LLM_CORE_TEST_KEY"] })).toBe(
        "process-env-key-value",
      );
    } finally {
      delete process.env.LLM_CORE_TEST_KEY;
    }
    expect(() => readAPIKey({ provider: "x", envNames: [] })).toThrow(
      /set an API key variable or pass apiKey/,
    );
  });
});

describe("normalizeBaseURL", () => {
  it("strips trailing slashes", () => {
    expect(normalizeBaseURL("openai", "http://127.0.0.1:8080/v1//")).toBe(
      "http://127.0.0.1:8080/v1",
    );
  });

  it("throws ConfigError at baseURL for an unparsable URL", () => {
    const error = (() => {
      try {
        normalizeBaseURL("openai", "not a url");
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([{ path: "baseURL", message: '"not a url" is not a valid URL' }]);
    expect(error.message).toContain("baseURL");
  });

  it("throws ConfigError for a non-http scheme", () => {
    expect(() => normalizeBaseURL("ollama", "ftp://host/")).toThrow(
      /baseURL: "ftp:\/\/host\/" must use http or https, not ftp/,
    );
  });
});
