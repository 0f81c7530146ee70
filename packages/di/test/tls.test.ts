import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import type { RedisStore } from "@llm/cache-redis";
import {
  createTestCertificates,
  freePort,
  type PrivateRedisSentinel,
  startPrivateRedis,
  startPrivateRedisSentinel,
  stopPrivateRedis,
  type TestCertificates,
  tlsServerArgs,
} from "@llm/cache-redis/testing";
import { type ChatRequest, ConfigError } from "@llm/core";
import { RateLimitBudgetError } from "@llm/ratelimit";
import { RedisTLSError } from "@llm/redis-connection";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import { packageDir, sourceConditions, tempDir } from "./helpers.js";

/**
 * Redis over TLS from a YAML config, end to end: a Sentinel deployment with
 * TLS on every port and client certificates required (the key handed in
 * through an env var, as a secret would be), and a single TLS server reached
 * by a rediss:// URL. Private servers only: the shared Redis is not touched.
 */
const KEY = "sk-tls-0123456789abcdef";
const PASSWORD = "tls-master-password";
const SENTINEL_PASSWORD = "tls-sentinel-password";
const ask = (content: string): ChatRequest => ({
  messages: [{ role: "user", content }],
  temperature: 0,
});

let certs: TestCertificates;
let deployment: PrivateRedisSentinel;
let server: MockProvider;
let single: ChildProcess;
let singlePort: number;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  certs = await createTestCertificates();
  singlePort = await freePort();
  [deployment, server, single] = await Promise.all([
    startPrivateRedisSentinel({
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
      tls: { certificates: certs, mutual: true },
    }),
    startMockProvider({ provider: "openai", apiKey: KEY }),
    startPrivateRedis(singlePort, tlsServerArgs(singlePort, { certificates: certs })),
  ]);
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  vi.restoreAllMocks();
});
afterAll(async () => {
  await server?.close();
  await deployment?.stop();
  if (single) await stopPrivateRedis(single);
  await certs?.remove();
  tmp.remove();
});

const env = () => ({
  REDIS_PASSWORD: PASSWORD,
  SENTINEL_PASSWORD,
  REDIS_TLS_KEY: readFileSync(certs.clientKeyFile, "utf8"),
});

async function container(yaml: string): Promise<LLMContainer> {
  const file = tmp.write(`tls-${open.length}-${process.hrtime.bigint()}.yaml`, yaml);
  const created = await createLLMContainer({
    config: { files: [file], env: env() },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  open.push(created);
  return created;
}

const client = [
  "clients:",
  "  a:",
  "    provider: openai",
  "    model: gpt-4o-mini",
  `    apiKey: ${KEY}`,
  "    rateLimit: { requestsPerMinute: 3, maxWaitMs: 0 }",
];

/** The Sentinel deployment as config names it; `ca` picks the CA the client trusts. */
function sentinelYaml(namespace: string, ca = certs.caFile): string {
  const tls = `{ ca: "${ca}", cert: "${certs.clientCertFile}", key: "\${REDIS_TLS_KEY}" }`;
  const sentinels = deployment.sentinels.map(({ host, port }) => `"rediss://${host}:${port}"`);
  const sentinel = `{ name: ${deployment.name}, password: "\${SENTINEL_PASSWORD}", sentinels: [${sentinels.join(", ")}] }`;
  const redis = `password: "\${REDIS_PASSWORD}", tls: ${tls}, sentinel: ${sentinel}`;
  return [
    ...client,
    `    baseURL: ${server.baseURL}`,
    "cache:",
    `  l2: { type: redis, namespace: ${namespace}, ${redis} }`,
    "rateLimits:",
    `  store: { type: redis, prefix: ${namespace}-rl, ${redis} }`,
    "",
  ].join("\n");
}

describe("Redis over TLS from config", () => {
  it("shares answers and one budget through TLS sentinels and a TLS master with client certificates", async () => {
    const first = await container(sentinelYaml("di-tls"));
    const second = await container(sentinelYaml("di-tls"));
    const before = server.requests.length;

    await first.clients.get("a").generate(ask("shared over TLS"));
    await first.get(TOKENS.CacheMiddleware)!.flush();
    const fromSecond = await second.clients.get("a").generate(ask("shared over TLS"));
    expect(fromSecond.origin).toMatchObject({ type: "cache", level: "l2" });

    await second.clients.get("a").generate(ask("two"));
    await first.clients.get("a").generate(ask("three"));
    await expect(second.clients.get("a").generate(ask("four"))).rejects.toBeInstanceOf(
      RateLimitBudgetError,
    );
    expect(server.requests.length - before).toBe(3);

    // Both live on the master the TLS sentinels name; nothing listens in clear text.
    const tls = {
      ca: readFileSync(certs.caFile),
      cert: readFileSync(certs.clientCertFile),
      key: readFileSync(certs.clientKeyFile),
    };
    const master = new Redis({
      sentinels: deployment.sentinels,
      name: deployment.name,
      sentinelPassword: SENTINEL_PASSWORD,
      password: PASSWORD,
      sentinelTLS: tls,
      tls,
      enableTLSForSentinelMode: true,
    });
    try {
      const [, cacheKeys] = await master.scan("0", "MATCH", "{di-tls}:*", "COUNT", 1_000);
      expect(cacheKeys.length).toBeGreaterThan(0);
      expect(await master.keys("{di-tls-rl:*")).toEqual(["{di-tls-rl:client:a}:r"]);
      await master.flushall();
    } finally {
      master.disconnect();
    }
  });

  it("reaches a single TLS server through a rediss:// URL and the CA bundle", async () => {
    const yaml = [
      ...client,
      `    baseURL: ${server.baseURL}`,
      "cache:",
      `  l2: { type: redis, namespace: di-tls-url, url: "rediss://127.0.0.1:${singlePort}", tls: { ca: "${certs.caFile}" } }`,
      "",
    ].join("\n");
    const first = await container(yaml);
    const second = await container(yaml);
    await first.clients.get("a").generate(ask("via url"));
    await first.get(TOKENS.CacheMiddleware)!.flush();
    expect((await second.clients.get("a").generate(ask("via url"))).origin).toMatchObject({
      type: "cache",
      level: "l2",
    });
    await (second.get(TOKENS.CacheStore) as RedisStore).clear();
  });

  it("starts without L2 when the CA is wrong: answers come from upstream, the store says why, no secret shown", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: unknown) => void lines.push(String(line)));
    const started = await container(sentinelYaml("di-tls-wrong", certs.otherCAFile));
    const store = started.get(TOKENS.CacheStore) as RedisStore;

    const answer = await started.clients.get("a").generate(ask("wrong CA"));
    expect(answer.origin).toMatchObject({ type: "upstream" });
    const error = await store.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect(store.state).toBe("down");

    const keyLine = env().REDIS_TLS_KEY.split("\n")[1] as string;
    const shown = [
      (error as Error).message,
      JSON.stringify(error),
      String((error as Error).stack),
      ...lines,
    ].join("\n");
    expect(lines.join("\n")).toContain('cache store "redis" is down');
    for (const secret of [PASSWORD, SENTINEL_PASSWORD, keyLine]) {
      expect(shown).not.toContain(secret);
    }
  });

  it("refuses to start when the CA bundle is missing, naming the setting and the file", async () => {
    const missing = `${tmp.dir}/no-such-ca.pem`;
    const yaml = [
      ...client,
      `    baseURL: ${server.baseURL}`,
      "cache:",
      `  l2: { type: redis, namespace: di-tls-missing, url: "rediss://127.0.0.1:${singlePort}", tls: { ca: "${missing}" } }`,
      "",
    ].join("\n");
    const error = await container(yaml).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "cache.l2.tls.ca", message: `${missing}: no such file` },
    ]);
  });

  it("closes the L2 it already opened when the rate-limit store's TLS settings stop start-up", async () => {
    const missing = `${tmp.dir}/no-such-rl-ca.pem`;
    const url = `"rediss://127.0.0.1:${singlePort}"`;
    const yaml = [
      ...client,
      `    baseURL: ${server.baseURL}`,
      "cache:",
      `  l2: { type: redis, namespace: di-tls-leak, url: ${url}, tls: { ca: "${certs.caFile}" } }`,
      "rateLimits:",
      `  store: { type: redis, url: ${url}, tls: { ca: "${missing}" } }`,
      "",
    ].join("\n");
    const error = await container(yaml).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { path: "rateLimits.store.tls.ca", message: `${missing}: no such file` },
    ]);

    const observer = new Redis(singlePort, "127.0.0.1", {
      tls: { ca: readFileSync(certs.caFile) },
    });
    try {
      // The store's two connections and the coordinator's are gone: only this one is left.
      for (let attempt = 0; ; attempt++) {
        const clients = String(await observer.client("LIST"))
          .trim()
          .split("\n");
        if (clients.length === 1) break;
        if (attempt > 100) throw new Error(`still connected: ${clients.length - 1} clients`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      observer.disconnect();
    }
  });
});
