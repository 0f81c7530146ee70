import { describe, expect, it } from "vitest";
import { redactHeaders, redactSecrets } from "./redact.js";

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
