import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import type {
  ChatRequest,
  ConfigError,
  LLMClient,
  ProviderDefinition,
  ProviderSettings,
} from "@llm/core";
import { createLLMContainer, type LLMContainer, TOKENS } from "@llm/di";
import { provider as openaiProvider } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureOutput } from "./support/capture-output.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * Credentials with no recognisable key shape, hidden where only structure
 * tells them apart: a URL's query (`?key=`), custom header names, a Redis
 * URL's password, a plugin's DSN, Slack webhook and `?token=` callback.
 */
const MARKER = "URLSECRET";
const PLANTED = {
  queryKey: `${MARKER}-query-key-01`,
  rotatedKey: `${MARKER}-rotated-key-02`,
  customToken: `${MARKER}-custom-token-03`,
  apimKey: `${MARKER}-apim-key-04`,
  redisPassword: `${MARKER}-redis-pw-05`,
  dsnUser: `${MARKER}-dsn-user-06`,
  slackPath: `${MARKER}-slack-path-07`,
  hookToken: `${MARKER}-hook-token-08`,
};

const ask = (content: string): ChatRequest => ({
  messages: [{ role: "user", content }],
  temperature: 0,
});

const seen: { where: string; text: string }[] = [];
function note(where: string, value: unknown): void {
  seen.push({
    where,
    text: typeof value === "string" ? value : inspect(value, { depth: 10, getters: true }),
  });
  if (typeof value !== "string") {
    try {
      seen.push({ where: `${where} (JSON)`, text: JSON.stringify(value) ?? "" });
    } catch {
      // circular: inspect has it
    }
  }
}
function noteError(where: string, error: unknown): void {
  note(where, error);
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    note(`${where} message`, e.message);
    note(`${where} stack`, e.stack ?? "");
    note(`${where} String()`, String(e));
  }
}

describe("credentials in URLs, custom headers and plugin settings, through @llm/di", () => {
  const tmp = tempDir("url-secrets");
  let openai: MockProvider;
  let redis: PrivateRedis;
  let llm: LLMContainer;
  let capture: ReturnType<typeof captureOutput>;
  let configFile: string;
  /** What DI handed the "recorded" provider: the values used at run time. */
  const settingsSeen: ProviderSettings[] = [];

  const recorded: ProviderDefinition = {
    type: "recorded",
    create(settings) {
      settingsSeen.push(settings);
      const client: LLMClient = {
        provider: "recorded",
        generate: async (request) => ({
          id: "r1",
          model: request.model ?? "m",
          provider: "recorded",
          text: "recorded answer",
          content: [{ type: "text", text: "recorded answer" }],
          toolCalls: [],
          finishReason: "stop",
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          origin: { type: "upstream" },
        }),
        stream: () => ({ async *[Symbol.asyncIterator]() {} }),
      };
      return client;
    },
  };

  const yaml = (queryKey: string, extra = "") => `
clients:
  main:
    provider: openai
    model: gpt-4o-mini
    apiKey: sk-test-not-the-point-0000
    baseURL: ${openai.baseURL}
    retries: { maxAttempts: 1 }
    headers:
      X-Custom-Token: ${PLANTED.customToken}
      Ocp-Apim-Subscription-Key: ${PLANTED.apimKey}
      x-trace: visible-trace
  gateway:
    provider: recorded
    model: gemini-2.0-flash
    baseURL: "https://generativelanguage.example/v1beta?key=${queryKey}&alt=sse"${extra}
cache:
  enabled: true
  l2: { type: redis, url: "redis://:${PLANTED.redisPassword}@127.0.0.1:${redis.port}", namespace: url-secrets }
plugins:
  - module: ./support/settings-probe-plugin.mjs
    config:
      dsn: "https://${PLANTED.dsnUser}@sentry.example/42"
      alerts: "https://hooks.slack.com/services/T0001/B0002/${PLANTED.slackPath}"
      callback: "https://ops.example/notify?channel=llm&token=${PLANTED.hookToken}"
`;

  beforeAll(async () => {
    openai = await startMockProvider({ provider: "openai" });
    redis = new PrivateRedis(await freePort());
    await redis.start();
    const admin = new Redis(redis.url);
    await admin.config("SET", "requirepass", PLANTED.redisPassword);
    admin.disconnect();
    configFile = tmp.path("llm.yaml");
    await writeFile(configFile, yaml(PLANTED.queryKey));
    capture = captureOutput();
    llm = await createLLMContainer({
      config: { files: [configFile], env: {} },
      baseDir: dirname(fileURLToPath(import.meta.url)),
      conditions: ["@llm/source"],
      providers: [openaiProvider, recorded],
    });
    const hooks = llm.get(TOKENS.Hooks);
    hooks.hook("onConfigChange", (payload) => void note("hook onConfigChange", payload));
  });

  afterAll(async () => {
    capture?.stop();
    await llm?.dispose();
    await openai?.close();
    await redis?.kill();
    tmp.remove();
  });

  it("uses every credential at run time and shows none of them anywhere", async () => {
    const manager = llm.get(TOKENS.ConfigManager);
    const errors: ConfigError[] = [];
    manager.onError((error) => errors.push(error));

    note("main answer", await llm.clients.get("main").generate(ask("hello")));
    note("main answer again (cached)", await llm.clients.get("main").generate(ask("hello")));
    note("gateway answer", await llm.clients.get("gateway").generate(ask("hi")));
    await llm.get(TOKENS.CacheMiddleware)?.flush();

    // A rotation of the key in the URL: the change list and its hook payload.
    await writeFile(configFile, yaml(PLANTED.rotatedKey));
    await expect(manager.reload()).resolves.toBe(true);
    await llm.clients.settled();
    note("gateway after rotation", await llm.clients.get("gateway").generate(ask("hi again")));
    // A bad edit that still holds every credential: the ConfigError.
    await writeFile(configFile, yaml(PLANTED.rotatedKey, "\n    timeouts: { totalMs: soon }"));
    await expect(manager.reload()).resolves.toBe(false);
    for (const error of errors) noteError("reload error", error);

    const config = manager.get();
    note("config", config);
    note(
      "config String()",
      `${config.clients.gateway?.baseURL} ${config.cache.l2.type === "redis" ? config.cache.l2.url : ""}`,
    );
    note("plugin status", llm.get(TOKENS.PluginManager).status());
    const direct = new Redis(`redis://127.0.0.1:${redis.port}`, {
      password: PLANTED.redisPassword,
    });
    const redisKeys = await direct.keys("*");
    for (const key of redisKeys) note("redis key", key);
    direct.disconnect();
    capture.stop();
    for (const line of capture.lines) note("output", line);

    // Controls: the real values were in play.
    const mainRequest = openai.requests[0];
    expect(mainRequest?.headers["x-custom-token"]).toBe(PLANTED.customToken);
    expect(mainRequest?.headers["ocp-apim-subscription-key"]).toBe(PLANTED.apimKey);
    expect(settingsSeen.map((s) => s.baseURL)).toEqual([
      `https://generativelanguage.example/v1beta?key=${PLANTED.queryKey}&alt=sse`,
      `https://generativelanguage.example/v1beta?key=${PLANTED.rotatedKey}&alt=sse`,
    ]);
    expect(redisKeys.length).toBeGreaterThan(0); // the store authenticated with the URL's password
    expect(errors).toHaveLength(1);
    expect(errors[0]?.issues.map((i) => i.path)).toEqual(["clients.gateway.timeouts.totalMs"]);
    expect(seen.some((s) => s.where === "hook onConfigChange")).toBe(true);
    expect(seen.some((s) => s.where === "output" && s.text.includes("settings-probe"))).toBe(true);
    expect(
      seen.some((s) =>
        s.text.includes("https://generativelanguage.example/v1beta?key=[REDACTED]&alt=sse"),
      ),
    ).toBe(true);

    const leaks = seen
      .filter(({ text }) => text.includes(MARKER))
      .map(({ where, text }) => `${where}: ${text.slice(0, 300)}`);
    expect(leaks).toEqual([]);
  });
});
