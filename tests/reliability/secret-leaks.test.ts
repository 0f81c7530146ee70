import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import {
  type CachedAnswer,
  cacheMiddleware,
  MemoryStore,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import { RedisStore } from "@llm/cache-redis";
import { parseConfigText } from "@llm/config";
import { type ChatRequest, compose, type LLMClient, retryMiddleware } from "@llm/core";
import { createLLMContainer, type LLMContainer, TOKENS } from "@llm/di";
import type { HookName } from "@llm/hooks";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, type MockReply, startMockProvider } from "@llm/testkit";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureOutput } from "./support/capture-output.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";
import { tempDir } from "./support/temp-dir.js";

/** Every fake key carries this marker; it must appear in no output, error, key or entry. */
const MARKER = "RELIABILITY-SECRET";
/** One key with the usual `sk-` shape (redaction by pattern could catch it)… */
const OPENAI_KEY = `sk-test-${MARKER}-openai-0001`;
/** …and keys with no recognisable shape: only tracking the configured value can hide them. */
const ANTHROPIC_KEY = `${MARKER}-anthropic-0002`;
const GEMINI_KEY = `${MARKER}-gemini-0003`;
const WRONG_KEY = `sk-test-${MARKER}-wrong-0004`;
const ROTATED_KEY = `${MARKER}-rotated-0005`;

const ERROR_REPLIES: MockReply[] = [
  { status: 401 },
  { status: 400 },
  { status: 429, retryAfterMs: 1 },
  { status: 500 },
  { status: 503 },
  { fault: "reset" },
  { fault: "hang-headers" },
  { fault: "malformed-json" },
  { fault: "error-mid-stream" },
];

const HOOK_NAMES: HookName[] = [
  "beforeRequest",
  "afterResponse",
  "onError",
  "onStreamEvent",
  "onRetry",
  "onFallback",
  "onCacheHit",
  "onCacheMiss",
  "onConfigChange",
];

const ask = (content: string): ChatRequest => ({
  messages: [{ role: "user", content }],
  temperature: 0,
});

/** Everything a key could leak into, as text. */
const seen: { where: string; text: string }[] = [];
const note = (where: string, value: unknown) => {
  const text = typeof value === "string" ? value : inspect(value, { depth: 8, getters: true });
  seen.push({ where, text });
  if (typeof value !== "string") {
    try {
      seen.push({ where: `${where} (JSON)`, text: JSON.stringify(value) ?? "" });
    } catch {
      // circular: inspect above has it
    }
  }
};

function noteError(where: string, error: unknown): void {
  note(where, error);
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    note(`${where} message`, current.message);
    note(`${where} stack`, current.stack ?? "");
    note(`${where} String()`, String(current));
    current = current.cause;
  }
}

async function call(client: LLMClient, label: string, request: ChatRequest, streamed: boolean) {
  try {
    if (!streamed) {
      note(`${label} response`, await client.generate(request));
      return;
    }
    for await (const event of client.stream(request)) note(`${label} event`, event);
  } catch (error) {
    noteError(`${label} error`, error);
  }
}

function leaks(): string[] {
  return seen
    .filter(({ text }) => text.includes(MARKER))
    .map(({ where, text }) => `${where}: ${text.slice(0, 300)}`);
}

describe("secrets through the whole stack: config, plugins, hooks, cache, errors, logs", () => {
  const tmp = tempDir("secrets");
  let openai: MockProvider;
  let anthropic: MockProvider;
  let gemini: MockProvider;
  let llm: LLMContainer;
  let configFile: string;
  let capture: ReturnType<typeof captureOutput>;

  const yaml = (openaiKey: string) => `
clients:
  main:
    provider: openai
    model: gpt-4o-mini
    apiKey: ${openaiKey}
    baseURL: ${openai.baseURL}
    retries: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }
    timeouts: { totalMs: 500 }
    fallbacks: [backup]
  backup:
    provider: anthropic
    model: claude-3-5-haiku-latest
    apiKey: ${ANTHROPIC_KEY}
    baseURL: ${anthropic.baseURL}
    retries: { maxAttempts: 1 }
    timeouts: { totalMs: 500 }
  wide:
    provider: gemini
    model: gemini-2.0-flash
    apiKey: ${GEMINI_KEY}
    baseURL: ${gemini.baseURL}
    retries: { maxAttempts: 1 }
    timeouts: { totalMs: 500 }
  bad:
    provider: openai
    model: gpt-4o-mini
    apiKey: ${WRONG_KEY}
    baseURL: ${openai.baseURL}
    retries: { maxAttempts: 1 }
cache:
  enabled: true
  l2: { type: sqlite, path: ${tmp.path("cache.db")} }
plugins:
  - module: ./support/leak-probe-plugin.mjs
`;

  beforeAll(async () => {
    // The servers check the keys, so a success proves the real key was sent upstream.
    openai = await startMockProvider({ provider: "openai", apiKey: OPENAI_KEY });
    anthropic = await startMockProvider({ provider: "anthropic", apiKey: ANTHROPIC_KEY });
    gemini = await startMockProvider({ provider: "gemini", apiKey: GEMINI_KEY });
    configFile = tmp.path("llm.yaml");
    await writeFile(configFile, yaml(OPENAI_KEY));
    capture = captureOutput();
    llm = await createLLMContainer({
      config: { files: [configFile], env: {} },
      baseDir: dirname(fileURLToPath(import.meta.url)),
      conditions: ["@llm/source"],
    });
    const hooks = llm.get(TOKENS.Hooks);
    for (const name of HOOK_NAMES)
      hooks.hook(name, (payload: unknown) => void note(`hook ${name}`, payload));
    hooks.onHandlerError((error) => noteError("hook handler error", error));
  });

  afterAll(async () => {
    capture?.stop();
    await llm?.dispose();
    await Promise.all([openai?.close(), anthropic?.close(), gemini?.close()]);
    tmp.remove();
  });

  it("keeps every key out of everything a run through @llm/di produces", async () => {
    const clients = Object.fromEntries(
      ["main", "backup", "wide", "bad"].map((n) => [n, llm.clients.get(n)]),
    );
    let n = 0;
    /** The keys the servers received: proof that the real values were in play. */
    const upstreamKeys = new Set<string>();
    const recordKeys = () => {
      for (const mock of [openai, anthropic, gemini]) {
        for (const r of mock.requests) {
          const headers = JSON.stringify(r.headers);
          for (const key of [OPENAI_KEY, ANTHROPIC_KEY, GEMINI_KEY, WRONG_KEY]) {
            if (headers.includes(key)) upstreamKeys.add(key);
          }
        }
      }
    };
    for (const [name, client] of Object.entries(clients)) {
      for (const streamed of [false, true]) {
        // A success, the same again (a cache hit), then every error kind.
        await call(client, name, ask(`hello ${name}`), streamed);
        await call(client, name, ask(`hello ${name}`), streamed);
        for (const reply of ERROR_REPLIES) {
          for (const mock of [openai, anthropic, gemini])
            mock.when(() => true, reply, { times: 2 });
          await call(client, `${name} ${JSON.stringify(reply)}`, ask(`fail ${n++}`), streamed);
          recordKeys();
          for (const mock of [openai, anthropic, gemini]) mock.reset();
        }
      }
    }
    // A key rotation: the config change event and its hook payload.
    await writeFile(configFile, yaml(ROTATED_KEY));
    await llm.get(TOKENS.ConfigManager).reload();
    await llm.clients.settled();
    await call(clients.main as LLMClient, "main after rotation", ask("after rotation"), false);
    await llm.get(TOKENS.CacheMiddleware)?.flush();

    note("config", llm.get(TOKENS.ConfigManager).get());
    note("plugin status", llm.get(TOKENS.PluginManager).status());
    note("cache stats", llm.get(TOKENS.CacheMiddleware)?.stats());
    const db = new Database(tmp.path("cache.db"), { readonly: true });
    for (const row of db.prepare("SELECT * FROM entries").all()) note("sqlite row", row);
    db.close();
    // The raw bytes of the database and its journal, whatever the rows say.
    for (const file of readdirSync(tmp.dir)) {
      if (file.startsWith("cache.db"))
        note(`file ${file}`, readFileSync(tmp.path(file)).toString("latin1"));
    }
    capture.stop();
    for (const line of capture.lines) note("output", line);

    // Controls: the keys were really sent, answers and every error kind really happened.
    expect([...upstreamKeys].sort()).toEqual(
      [ANTHROPIC_KEY, GEMINI_KEY, OPENAI_KEY, WRONG_KEY].sort(),
    );
    for (const name of ["main", "backup", "wide"]) {
      expect(seen.some((s) => s.where === `${name} response`)).toBe(true);
    }
    const errorTypes = new Set(
      seen.filter((s) => s.where.endsWith("error String()")).map((s) => s.text.split(":")[0]),
    );
    expect([...errorTypes]).toEqual(
      expect.arrayContaining([
        "AuthenticationError",
        "RateLimitError",
        "ProviderError",
        "NetworkError",
        "TimeoutError",
      ]),
    );
    expect(seen.some((s) => s.where.startsWith("sqlite row"))).toBe(true);
    expect(seen.some((s) => s.where === "output" && s.text.includes("leak-probe"))).toBe(true);
    expect(seen.some((s) => s.where === "hook onConfigChange")).toBe(true);
    expect(leaks()).toEqual([]);
  });

  it("keeps the key out of a ConfigError about the client that holds it", () => {
    const bad = `clients:\n  main:\n    provider: openai\n    model: ""\n    apiKey: ${OPENAI_KEY}\n    baseURL: nope\n    extra: ${ANTHROPIC_KEY}\n`;
    let thrown: unknown;
    try {
      parseConfigText(bad, { file: "llm.yaml", env: {} });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    const before = seen.length;
    noteError("config error", thrown);
    expect(seen.slice(before).filter(({ text }) => text.includes(MARKER))).toEqual([]);
  });
});

describe("secrets in Redis and in-memory cache entries", () => {
  let redis: PrivateRedis;
  let mock: MockProvider;
  let store: RedisStore;
  const namespace = `reliability-secrets-${process.pid}`;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    mock = await startMockProvider({ provider: "openai", apiKey: OPENAI_KEY });
    store = new RedisStore({ url: redis.url, namespace });
    await store.ready();
  });

  afterAll(async () => {
    await store?.close();
    await redis?.kill();
    await mock?.close();
  });

  it("stores no key in a Redis key or value, nor in a MemoryStore entry", async () => {
    const memory = new MemoryStore();
    const before = seen.length;
    const keys: string[] = [];
    for (const l2 of [store, memory]) {
      const cache = cacheMiddleware({
        cache: new TieredCache<CachedAnswer>({
          l1: new SmartCache<CachedAnswer>({ maxEntries: 10 }),
          l2,
        }),
        onHit: (event) => note("onHit", event),
        onMiss: (event) => note("onMiss", event),
      });
      const client = compose(
        createOpenAI({ apiKey: OPENAI_KEY, baseURL: mock.baseURL, model: "gpt-4o-mini" }),
        cache,
        retryMiddleware({ maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }),
      );
      for (let i = 0; i < 3; i++) {
        for (const streamed of [false, true]) {
          await call(client, "l2 client", ask(`stored ${i} ${streamed}`), streamed);
          keys.push(cache.keyOf(ask(`stored ${i} ${streamed}`), client));
        }
      }
      mock.enqueue({ status: 401 }, { status: 401 });
      await call(client, "l2 client 401", ask("unauthorised"), false);
      await cache.flush();
    }
    for (const key of keys) {
      note("cache key", key);
      note("memory entry", (await memory.get(key)) ?? "");
    }
    const direct = new Redis(redis.url);
    const redisKeys = await direct.keys("*");
    for (const key of redisKeys) {
      note("redis key", key);
      const type = await direct.type(key);
      if (type === "string") note("redis value", (await direct.get(key)) ?? "");
      else if (type === "set") note("redis set", await direct.smembers(key));
      else if (type === "hash") note("redis hash", await direct.hgetall(key));
      else note("redis other", await direct.dump(key));
    }
    direct.disconnect();

    expect(redisKeys.length).toBeGreaterThan(0);
    expect(
      seen.slice(before).filter((s) => s.where === "memory entry" && s.text.length > 0).length,
    ).toBeGreaterThan(0);
    expect(
      seen
        .slice(before)
        .filter(({ text }) => text.includes(MARKER))
        .map((s) => `${s.where}: ${s.text.slice(0, 300)}`),
    ).toEqual([]);
  });
});
