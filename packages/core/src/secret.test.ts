import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactHeaders, redactSecrets, registerSecretValue } from "./redact.js";
import { isSecret, revealSecret, Secret } from "./secret.js";

describe("Secret", () => {
  it("prints [REDACTED] everywhere but reveal()", () => {
    const secret = new Secret("my-very-secret-value");
    expect(String(secret)).toBe("[REDACTED]");
    expect(`${secret}`).toBe("[REDACTED]");
    expect(JSON.stringify({ secret })).toBe('{"secret":"[REDACTED]"}');
    expect(inspect(secret)).toBe("Secret([REDACTED])");
    expect(secret.reveal()).toBe("my-very-secret-value");
    expect(secret.isEmpty).toBe(false);
    expect(isSecret(secret)).toBe(true);
    expect(revealSecret(secret)).toBe("my-very-secret-value");
    expect(revealSecret("plain")).toBe("plain");
    expect(revealSecret(undefined)).toBeUndefined();
  });

  it("registers its value so free text containing it is masked", () => {
    new Secret("another-secret-99");
    expect(redactSecrets("x another-secret-99 y")).toBe("x [REDACTED] y");
  });
});

describe("redaction", () => {
  it("ignores registered values too short to mask safely", () => {
    registerSecretValue("abc");
    expect(redactSecrets("abc")).toBe("abc");
  });

  it("masks key shapes and secret headers", () => {
    expect(redactSecrets("url?key=AIzaSecretThing&x=1")).toBe("url?key=[REDACTED]&x=1");
    expect(redactSecrets('"api_key": "abcd1234"')).toBe('"api_key": "[REDACTED]"');
    expect(
      redactHeaders({ Authorization: "Bearer x", "X-Api-Key": "k", accept: "sk-abcdefghijkl" }),
    ).toEqual({
      Authorization: "[REDACTED]",
      "X-Api-Key": "[REDACTED]",
      accept: "[REDACTED]",
    });
  });
});
