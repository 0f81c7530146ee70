import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors/index.js";
import {
  isSecretHeaderName,
  isSensitiveQueryParam,
  redactHeaders,
  redactSecrets,
  redactURL,
  scanURL,
} from "./redact.js";
import { Secret } from "./secret.js";

describe("redactSecrets", () => {
  it("masks credential values after their names", () => {
    expect(redactSecrets("api_key=abc123def456")).toBe("api_key=[REDACTED]");
    expect(redactSecrets('{"token":"ghp_1234567890abcdef"}')).toBe('{"token":"[REDACTED]"}');
    expect(redactSecrets("x-api-key: sk-ant-api03-abcdefgh")).toBe("x-api-key: [REDACTED]");
    expect(redactSecrets("?key=AIzaSyA1234567890abcdefghijk")).toBe("?key=[REDACTED]");
  });

  it("keeps the words of a provider's error code and of a config issue", () => {
    expect(redactSecrets("HTTP 401 invalid_api_key: Incorrect API key provided")).toBe(
      "HTTP 401 invalid_api_key: Incorrect API key provided",
    );
    expect(redactSecrets("clients.fast.apiKey: is invalid")).toBe(
      "clients.fast.apiKey: is invalid",
    );
  });

  it("masks secret headers whole and redacts the others", () => {
    expect(redactHeaders({ Authorization: "Bearer x", "x-trace": "token=abcdef123456" })).toEqual({
      Authorization: "[REDACTED]",
      "x-trace": "token=[REDACTED]",
    });
  });
});

describe("redactURL", () => {
  it("masks the password of URL userinfo and keeps the user and host", () => {
    expect(redactURL("redis://:p4ssw0rd-xyz@cache.internal:6379/0")).toBe(
      "redis://:[REDACTED]@cache.internal:6379/0",
    );
    expect(redactURL("postgres://app:hunter2hunter2@db:5432/llm")).toBe(
      "postgres://app:[REDACTED]@db:5432/llm",
    );
  });

  it("masks a lone userinfo token, which is the credential itself", () => {
    expect(redactURL("https://ghp_tok3n1234@git.example.com/x")).toBe(
      "https://[REDACTED]@git.example.com/x",
    );
  });

  it("masks sensitive query parameters by name and keeps the others", () => {
    expect(
      redactURL("https://gen.example.com/v1beta?key=k3y-value-1&alt=sse&Signature=abc&api-key=z"),
    ).toBe(
      "https://gen.example.com/v1beta?key=[REDACTED]&alt=sse&Signature=[REDACTED]&api-key=[REDACTED]",
    );
    expect(redactURL("https://x.example/cb?code=oauth-code-1#access_token=tok-1")).toBe(
      "https://x.example/cb?code=[REDACTED]#access_token=[REDACTED]",
    );
  });

  it("masks the token path of a Slack webhook", () => {
    expect(redactURL("https://hooks.slack.com/services/T0001/B0002/xoxSecretPart99")).toBe(
      "https://hooks.slack.com/services/[REDACTED]",
    );
  });

  it("returns the credential parts it hid", () => {
    expect(scanURL("redis://u:pw%40home1@h/?token=t0k3n").secrets).toEqual(
      expect.arrayContaining(["pw%40home1", "pw@home1", "t0k3n"]),
    );
    expect(scanURL("https://api.example.com/v1").secrets).toEqual([]);
  });
});

describe("header and parameter names", () => {
  it("treats *-key, *-token, *-secret and the well-known names as secret headers", () => {
    for (const name of [
      "Authorization",
      "X-Custom-Token",
      "Ocp-Apim-Subscription-Key",
      "api-key",
      "x-api-key",
      "Cookie",
      "X-Client-Secret",
      "X-Amz-Security-Token",
    ]) {
      expect(isSecretHeaderName(name)).toBe(true);
    }
    for (const name of ["content-type", "x-trace", "accept", "x-request-id", "keep-alive"]) {
      expect(isSecretHeaderName(name)).toBe(false);
    }
  });

  it("treats key, token, sig, code and *_token as sensitive query parameters", () => {
    for (const name of ["key", "api_key", "apikey", "token", "access_token", "sig", "code"]) {
      expect(isSensitiveQueryParam(name)).toBe(true);
    }
    for (const name of ["alt", "model", "stream", "page"]) {
      expect(isSensitiveQueryParam(name)).toBe(false);
    }
  });
});

describe("redactSecrets on URLs and header lines in free text", () => {
  it("masks userinfo, query credentials and webhook tokens inside a sentence", () => {
    const text =
      "connect failed to redis://:pa55word-abc@10.0.0.1:6379 and https://g.example/v1?alt=sse&key=plainkeyvalue then https://hooks.slack.com/services/T1/B2/s3cr3tpart";
    const out = redactSecrets(text);
    expect(out).not.toMatch(/pa55word-abc|plainkeyvalue|s3cr3tpart/);
    expect(out).toContain("redis://:[REDACTED]@10.0.0.1:6379");
    expect(out).toContain("?alt=sse&key=[REDACTED]");
  });

  it("masks header-shaped pairs such as X-Custom-Token: value", () => {
    expect(redactSecrets("X-Custom-Token: abcd1234efgh")).toBe("X-Custom-Token: [REDACTED]");
    expect(redactSecrets("Ocp-Apim-Subscription-Key=0123456789abcdef")).toBe(
      "Ocp-Apim-Subscription-Key=[REDACTED]",
    );
  });
});

describe("redaction of hostile text", () => {
  // Each of these took tens of seconds with patterns that retried a long scan
  // from every position; a linear redactor returns them unchanged at once.
  it.each([
    ["hyphenated words", "a-".repeat(50_000)],
    ["dotted words", "a.".repeat(50_000)],
    ["repeated header suffixes", "-key:".repeat(50_000)],
    ["repeated credential names", "token:".repeat(50_000)],
    ["repeated query starts", "?a".repeat(50_000)],
  ])("returns 100 KB of %s unchanged", (_name, text) => {
    expect(redactSecrets(text)).toBe(text);
    expect(redactURL(text)).toBe(text);
  });
});

describe("registered values of any size", () => {
  it("masks a secret of several MiB and still builds errors, as it masks short ones beside it", () => {
    const pemBody = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC".repeat(100_000); // 3.2 MB, far past V8's pattern limit
    const key = `-----BEGIN PRIVATE KEY-----\n${pemBody}\n-----END PRIVATE KEY-----`;
    new Secret(key);
    const password = new Secret("hunter2-but-longer");
    const error = new ConfigError(`could not use ${key} with ${password.reveal()}`);
    expect(error.message).toBe("could not use [REDACTED] with [REDACTED]");
  });

  it("masks a long value whole even when a shorter registered value is part of it", () => {
    const inner = "inner-secret-value-1234";
    new Secret(inner);
    const long = `${"x".repeat(2_000)}${inner}${"y".repeat(2_000)}`;
    new Secret(long);
    expect(redactSecrets(`a ${long} b ${inner} c`)).toBe("a [REDACTED] b [REDACTED] c");
  });
});
