import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { ConfigError, isSecret, Secret } from "@llm/core";
import { describe, expect, it } from "vitest";
import { diffConfig } from "./diff.js";
import { loadConfig, parseConfigText } from "./load-config.js";
import { isSecretKey, redactValue, secretizeUnknown } from "./secrets.js";

const KEY = "sk-live-abcdef0123456789";
const TOKEN = "plugin-token-zyxwvu987";
const PASSWORD = "redis-pass-qwerty42";
const HEADER = "Bearer header-secret-555666";

const text = [
  "clients:",
  "  main:",
  "    provider: openai",
  "    model: gpt-4o-mini",
  "    apiKey: ${OPENAI_API_KEY}",
  "    headers: { Authorization: '${AUTH_HEADER}', x-trace: visible }",
  "cache:",
  "  l2: { type: redis, url: 'redis://127.0.0.1:6379', password: '${REDIS_PASSWORD}' }",
  "plugins:",
  "  - module: ./audit.js",
  "    config: { token: '${PLUGIN_TOKEN}', nested: { signingKey: '${PLUGIN_TOKEN}x' }, port: 1 }",
].join("\n");
const env = {
  OPENAI_API_KEY: KEY,
  PLUGIN_TOKEN: TOKEN,
  REDIS_PASSWORD: PASSWORD,
  AUTH_HEADER: HEADER,
};
const secrets = [KEY, TOKEN, PASSWORD, HEADER, "header-secret-555666"];

function expectNoSecret(output: string): void {
  for (const value of secrets) expect(output).not.toContain(value);
}

describe("secrets in the config", () => {
  const config = parseConfigText(text, { env });

  it("turns apiKey, password, credential headers and credential-named plugin fields into Secrets", () => {
    expect(isSecret(config.clients.main?.apiKey)).toBe(true);
    expect(config.clients.main?.apiKey?.reveal()).toBe(KEY);
    expect(isSecret(config.clients.main?.headers?.Authorization)).toBe(true);
    expect(config.clients.main?.headers?.["x-trace"]).toBe("visible");
    expect(config.cache.l2.type === "redis" && config.cache.l2.password?.reveal()).toBe(PASSWORD);
    const pluginConfig = config.plugins[0]?.config as {
      token: Secret;
      nested: { signingKey: Secret };
      port: number;
    };
    expect(pluginConfig.token.reveal()).toBe(TOKEN);
    expect(pluginConfig.nested.signingKey.reveal()).toBe(`${TOKEN}x`);
    expect(pluginConfig.port).toBe(1);
  });

  it("never shows a secret through String() or a template literal", () => {
    const key = config.clients.main?.apiKey;
    expect(String(key)).toBe("[REDACTED]");
    expect(`${key}`).toBe("[REDACTED]");
  });

  it("never shows a secret in JSON.stringify of the whole config", () => {
    const json = JSON.stringify(config);
    expectNoSecret(json);
    expect(json).toContain('"apiKey":"[REDACTED]"');
  });

  it("never shows a secret through util.inspect or console.log", () => {
    expectNoSecret(inspect(config, { depth: null }));
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = new Console({ stdout: sink, stderr: sink });
    logger.log(config);
    logger.log("config: %o", config);
    logger.error(config.clients);
    expect(lines.join("").length).toBeGreaterThan(0);
    expectNoSecret(lines.join(""));
  });

  it("never echoes a secret in validation issues", async () => {
    const bad = `${text}\n    required: not-a-boolean\n`;
    let error: ConfigError | undefined;
    try {
      parseConfigText(bad.replace("model: gpt-4o-mini", "model: ''"), { env, file: "s.yaml" });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues.length).toBeGreaterThan(0);
    expectNoSecret(error?.message ?? "");
    expectNoSecret(JSON.stringify(error));
    expectNoSecret(inspect(error, { depth: null }));
  });

  it("never echoes a secret of the wrong type or an empty one", () => {
    let error: ConfigError | undefined;
    try {
      parseConfigText(
        "clients:\n  a: { provider: x, model: m, apiKey: { nested: sk-live-wrongtype12345 } }\n  b: { provider: x, model: m, apiKey: '' }",
        {},
      );
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.issues.map((i) => i.path)).toEqual(["clients.a.apiKey", "clients.b.apiKey"]);
    expect(error?.message).not.toContain("sk-live-wrongtype12345");
    expect(error?.issues[1]?.message).toBe("is empty");
    expect(error?.message).toContain("clients.b.apiKey: is empty");
  });

  it("redacts secrets in the list of changes", () => {
    const next = parseConfigText(text, {
      env: { ...env, OPENAI_API_KEY: "sk-live-rotated-000111222" },
    });
    const changes = diffConfig(config, next);
    expect(changes).toEqual([
      { path: "clients.main.apiKey", before: "[REDACTED]", after: "[REDACTED]" },
    ]);
    expect(JSON.stringify(changes)).not.toContain("rotated");
  });

  it("reports no change when a secret keeps its value", () => {
    expect(diffConfig(config, parseConfigText(text, { env }))).toEqual([]);
  });

  it("accepts a Secret given in code and a key given as a number", async () => {
    const fromCode = await loadConfig({
      env: { LLM__CLIENTS__A__APIKEY: "12345678" },
      overrides: {
        clients: {
          a: { provider: "x", model: "m" },
          b: { provider: "x", model: "m", apiKey: new Secret(KEY) },
        },
      },
    });
    expect(fromCode.clients.a?.apiKey?.reveal()).toBe("12345678");
    expect(fromCode.clients.b?.apiKey?.reveal()).toBe(KEY);
    const numeric = parseConfigText("clients: { a: { provider: x, model: m, apiKey: 1234567 } }");
    expect(numeric.clients.a?.apiKey?.reveal()).toBe("1234567");
  });
});

describe("secret helpers", () => {
  it("recognises credential-like field names", () => {
    for (const name of [
      "apiKey",
      "api_key",
      "token",
      "password",
      "secret",
      "signingKey",
      "private_key",
    ]) {
      expect(isSecretKey(name)).toBe(true);
    }
    for (const name of ["model", "keyboard", "monkey", "keys", "tokens"])
      expect(isSecretKey(name)).toBe(false);
  });

  it("wraps credential-named strings in free-form data, including inside lists", () => {
    const out = secretizeUnknown({ list: [{ token: "t-123456" }], note: "plain" }) as {
      list: [{ token: Secret }];
      note: string;
    };
    expect(out.list[0].token.reveal()).toBe("t-123456");
    expect(out.note).toBe("plain");
  });

  it("redacts secrets inside values and lists", () => {
    expect(redactValue([new Secret("abcdefgh"), { k: new Secret("abcdefgh") }])).toEqual([
      "[REDACTED]",
      { k: "[REDACTED]" },
    ]);
  });
});
