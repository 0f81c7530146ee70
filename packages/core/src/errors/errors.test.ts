import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { httpErrorFromResponse } from "../provider-utils/http-error.js";
import { Secret } from "../secret.js";
import {
  AbortError,
  AuthenticationError,
  CircuitOpenError,
  ConfigError,
  ContentFilterError,
  ContextLengthError,
  InvalidRequestError,
  isLLMError,
  LLMError,
  NetworkError,
  ParseError,
  ProviderError,
  RateLimitError,
  TimeoutError,
} from "./index.js";

// A key no regex shape matches: only its registration as a Secret can mask it.
const registeredKey = "zq9-custom-credential-7788";
new Secret(registeredKey);
const rawKeys = [
  "sk-proj-AbCdEfGh1234567890abcdef",
  "sk-ant-api03-AbCdEfGh1234567890",
  "AIzaSyA1234567890abcdefghijklmnop",
];

function surfaces(error: LLMError): string[] {
  return [
    error.message,
    JSON.stringify(error),
    JSON.stringify(error.toJSON()),
    inspect(error),
    String(error),
  ];
}

describe("errors never leak credentials", () => {
  const leaky = `bad key ${registeredKey}; Authorization: Bearer abc.def-ghi_jkl; ${rawKeys.join(" ")}`;
  const errors: LLMError[] = [
    new LLMError(leaky),
    new AuthenticationError(leaky, { status: 401 }),
    new RateLimitError(leaky),
    new ProviderError(leaky, { status: 500, body: `{"echo":"${leaky}"}` }),
    new NetworkError(leaky),
    new ConfigError(leaky),
    httpErrorFromResponse({
      provider: "openai",
      status: 401,
      headers: {},
      bodyText: `{"error":{"message":"${leaky}"}}`,
    }),
    httpErrorFromResponse({ provider: "openai", status: 502, headers: {}, bodyText: leaky }),
  ];

  for (const error of errors) {
    it(`${error.name} hides keys in message, toJSON and inspect`, () => {
      for (const text of surfaces(error)) {
        expect(text).not.toContain(registeredKey);
        expect(text).not.toContain("abc.def-ghi_jkl");
        for (const key of rawKeys) expect(text).not.toContain(key);
      }
      expect(error.message).toContain("[REDACTED]");
    });
  }
});

describe("error family", () => {
  const table: Array<[LLMError, string, boolean]> = [
    [new AuthenticationError("x"), "AUTHENTICATION", false],
    [new RateLimitError("x"), "RATE_LIMIT", true],
    [new TimeoutError("idle", 5), "TIMEOUT", true],
    [new ContextLengthError("x"), "CONTEXT_LENGTH", false],
    [new InvalidRequestError("x"), "INVALID_REQUEST", false],
    [new ContentFilterError("x"), "CONTENT_FILTER", false],
    [new ProviderError("x", { status: 503 }), "PROVIDER", true],
    [new ProviderError("x", { status: 418 }), "PROVIDER", false],
    [new NetworkError("x"), "NETWORK", true],
    [new AbortError(), "ABORTED", false],
    [new ParseError("x", { where: "line 1" }), "PARSE", false],
    [new ConfigError("x"), "CONFIG", false],
    [new CircuitOpenError("c", 5), "CIRCUIT_OPEN", false],
  ];

  for (const [error, code, retryable] of table) {
    it(`${error.name} has code ${code} and retryable ${retryable}`, () => {
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(isLLMError(error)).toBe(true);
      expect(error.toJSON()).toMatchObject({ name: error.name, code, retryable });
    });
  }

  it("ConfigError lists every issue with its path and position", () => {
    const error = new ConfigError("Invalid config", {
      issues: [
        { path: "clients.fast.model", message: "required", file: "llm.yaml", line: 3, column: 5 },
        { path: "", message: "unknown key" },
        { path: "cache", message: "bad", file: "llm.yaml" },
      ],
    });
    expect(error.message).toBe(
      "Invalid config\n  - clients.fast.model: required (llm.yaml:3:5)\n  - <root>: unknown key\n  - cache: bad (llm.yaml)",
    );
  });

  it("ConfigError keeps its own message, without the issue list, as summary", () => {
    const error = new ConfigError("Provider packages failed to load: 1", {
      issues: [{ path: "clients.fast.provider", message: "broken" }],
    });
    expect(error.summary).toBe("Provider packages failed to load: 1");
    expect(new ConfigError("no issues").summary).toBe("no issues");
    expect(Object.keys(error.toJSON())).not.toContain("summary");
  });

  it("ConfigError's summary is redacted as its message is", () => {
    const error = new ConfigError(`bad key ${registeredKey}`, {
      issues: [{ path: "x", message: "y" }],
    });
    expect(error.summary).not.toContain(registeredKey);
    expect(error.message.startsWith(error.summary)).toBe(true);
  });

  it("TimeoutError names its phase", () => {
    expect(new TimeoutError("first-token", 100).message).toBe(
      "Timed out after 100 ms waiting for first-token",
    );
  });
});
