import { inspect } from "node:util";
import { ConfigError, isSecretURL } from "@llm/core";
import { describe, expect, it } from "vitest";
import { diffConfig } from "./diff.js";
import { parseConfigText } from "./load-config.js";
import { secretURL } from "./secrets.js";

/**
 * Credentials that hide in URLs, custom header names and plugin settings.
 * None has a recognisable key shape, so only redaction by structure
 * (userinfo, query names, header names, schema) can hide them.
 */
const PLANTED = {
  queryKey: "PLANTED-query-key-0001",
  customToken: "PLANTED-custom-token-0002",
  apimKey: "PLANTED-apim-key-0003",
  redisPassword: "PLANTED-redis-pw-0004",
  dsnUser: "PLANTED-dsn-user-0005",
  slackPath: "PLANTED-slack-path-0006",
  hookToken: "PLANTED-hook-token-0007",
} as const;
const MARKER = "PLANTED-";

const BASE_URL = `https://generativelanguage.example/v1beta?key=${PLANTED.queryKey}&alt=sse`;
const REDIS_URL = `redis://:${PLANTED.redisPassword}@127.0.0.1:6379/0`;

const yaml = (queryKey: string = PLANTED.queryKey) =>
  [
    "clients:",
    "  wide:",
    "    provider: gemini",
    "    model: gemini-2.0-flash",
    `    baseURL: "https://generativelanguage.example/v1beta?key=${queryKey}&alt=sse"`,
    "    headers:",
    `      X-Custom-Token: ${PLANTED.customToken}`,
    `      Ocp-Apim-Subscription-Key: ${PLANTED.apimKey}`,
    "      x-trace: visible",
    "cache:",
    `  l2: { type: redis, url: "${REDIS_URL}" }`,
    "plugins:",
    "  - module: ./audit.js",
    "    config:",
    `      dsn: "https://${PLANTED.dsnUser}@sentry.example/42"`,
    `      alerts: "https://hooks.slack.com/services/T0001/B0002/${PLANTED.slackPath}"`,
    `      callback: "https://ops.example/notify?channel=llm&token=${PLANTED.hookToken}"`,
    "      level: info",
  ].join("\n");

const load = (text = yaml()) => parseConfigText(text, { file: "llm.yaml", env: {} });

function leaked(text: string): string[] {
  return Object.values(PLANTED).filter((value) => text.includes(value));
}

describe("credentials inside URLs, custom headers and plugin settings", () => {
  it("keeps them out of JSON.stringify of the config", () => {
    expect(leaked(JSON.stringify(load()))).toEqual([]);
  });

  it("keeps them out of util.inspect of the config", () => {
    expect(leaked(inspect(load(), { depth: Number.POSITIVE_INFINITY }))).toEqual([]);
  });

  it("keeps them out of String() and template literals of each value", () => {
    const config = load();
    const wide = config.clients.wide!;
    const l2 = config.cache.l2 as { url: unknown };
    const plugin = config.plugins[0]!.config as Record<string, unknown>;
    const shown = [
      String(wide.baseURL),
      `${wide.baseURL}`,
      `${wide.headers?.["X-Custom-Token"]}`,
      String(wide.headers?.["Ocp-Apim-Subscription-Key"]),
      `${l2.url}`,
      `${plugin.dsn} ${plugin.alerts} ${plugin.callback}`,
    ].join("\n");
    expect(leaked(shown)).toEqual([]);
    expect(shown).toContain("https://generativelanguage.example/v1beta?key=[REDACTED]&alt=sse");
    expect(shown).toContain("redis://:[REDACTED]@127.0.0.1:6379/0");
  });

  it("keeps the real values intact for the code that calls them", () => {
    const config = load();
    const wide = config.clients.wide!;
    expect(isSecretURL(wide.baseURL)).toBe(true);
    expect(wide.baseURL?.reveal()).toBe(BASE_URL);
    const headers = wide.headers ?? {};
    const reveal = (v: unknown) =>
      typeof v === "string" ? v : (v as { reveal(): string }).reveal();
    expect(reveal(headers["X-Custom-Token"])).toBe(PLANTED.customToken);
    expect(reveal(headers["Ocp-Apim-Subscription-Key"])).toBe(PLANTED.apimKey);
    expect(headers["x-trace"]).toBe("visible");
    expect(reveal((config.cache.l2 as { url: unknown }).url)).toBe(REDIS_URL);
    const plugin = config.plugins[0]!.config as Record<string, unknown>;
    expect(reveal(plugin.callback)).toBe(
      `https://ops.example/notify?channel=llm&token=${PLANTED.hookToken}`,
    );
    expect(plugin.level).toBe("info");
  });

  it("keeps them out of the change list of a reload", () => {
    const changes = diffConfig(load(yaml("PLANTED-old-key-0099")), load());
    expect(changes.map((c) => c.path)).toEqual(["clients.wide.baseURL"]);
    const text = JSON.stringify(changes) + inspect(changes, { depth: 10 });
    expect(text).not.toContain(MARKER);
    expect(changes[0]?.after).toBe(
      "https://generativelanguage.example/v1beta?key=[REDACTED]&alt=sse",
    );
  });

  it("keeps them out of a ConfigError, including an issue about the URL itself", () => {
    const broken = yaml()
      .replace("model: gemini-2.0-flash", 'model: ""')
      .replace('baseURL: "https://', 'baseURL: "not a url https//')
      .replace("type: redis", "type: redis, nope: 1");
    let thrown: unknown;
    try {
      load(broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      "cache.l2.nope",
      "clients.wide.baseURL",
      "clients.wide.model",
    ]);
    const text = [error.message, String(error), error.stack, inspect(error, { depth: 10 })].join(
      "\n",
    );
    expect(leaked(text)).toEqual([]);
  });
});

describe("secretURL()", () => {
  const schema = secretURL();

  it("turns a URL into a SecretURL and keeps one that already is", () => {
    const url = schema.parse("https://hooks.example/x?token=PLANTED-helper-0008");
    expect(isSecretURL(url)).toBe(true);
    expect(`${url}`).toBe("https://hooks.example/x?token=[REDACTED]");
    expect(schema.parse(url)).toBe(url);
  });

  it("reports an empty or malformed URL without quoting it", () => {
    expect(schema.safeParse("").error?.issues[0]?.message).toBe("is empty");
    const bad = schema.safeParse("not-a-url?token=PLANTED-helper-0009");
    expect(bad.error?.issues[0]?.message).toBe("is not a valid absolute URL");
    expect(JSON.stringify(bad.error)).not.toContain(MARKER);
    expect(secretURL({ anyString: true }).parse("/var/run/redis.sock").reveal()).toBe(
      "/var/run/redis.sock",
    );
  });

  it("leaves URLs in client params as they are, since they are sent to the provider", () => {
    const config = parseConfigText(
      "clients:\n  m:\n    provider: openai\n    model: x\n    params: { callback: 'https://cb.example/?sig=abc123' }\n",
      { env: {} },
    );
    expect(config.clients.m?.params?.callback).toBe("https://cb.example/?sig=abc123");
  });
});
