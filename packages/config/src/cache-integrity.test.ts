import { ConfigError, isSecret } from "@llm/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

describe("cache.integrity", () => {
  it("is off by default with an 8 MiB bound on entries read back", async () => {
    const config = await loadConfig({ env: {} });
    expect(config.cache.integrity).toEqual({ previousSecrets: [], maxEntryBytes: 8 * 1024 ** 2 });
  });

  it("takes its secret and previous secrets from the environment, as Secrets", async () => {
    const config = await loadConfig({
      env: {
        LLM__CACHE__INTEGRITY__SECRET: "current-secret-0123456789",
        LLM__CACHE__INTEGRITY__PREVIOUS_SECRETS: '["previous-secret-0123456789"]',
        LLM__CACHE__INTEGRITY__MAX_ENTRY_BYTES: "2MiB",
      },
    });
    const { secret, previousSecrets, maxEntryBytes } = config.cache.integrity;
    expect(isSecret(secret)).toBe(true);
    expect(secret?.reveal()).toBe("current-secret-0123456789");
    expect(previousSecrets.map((s) => s.reveal())).toEqual(["previous-secret-0123456789"]);
    expect(maxEntryBytes).toBe(2 * 1024 ** 2);
    expect(JSON.stringify(config.cache.integrity)).not.toContain("current-secret");
  });

  it("refuses a secret shorter than 16 characters, without echoing it", async () => {
    const error = await loadConfig({
      env: {},
      overrides: { cache: { integrity: { secret: "short-secret" } } },
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues).toEqual([
      {
        path: "cache.integrity.secret",
        message: expect.stringContaining("at least 16 characters"),
      },
    ]);
    expect(message).not.toContain("short-secret");
  });
});
