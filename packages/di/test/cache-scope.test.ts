import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { ConfigManager } from "@llm/config";
import { AuthenticationError, type ChatRequest } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import { containerFromYaml, packageDir, sourceConditions, tempDir } from "./helpers.js";

/**
 * Issue #11 item 1: two tenants in one config — own server, own key, own
 * namespace — must never be answered from each other's cache entries.
 */

const KEY_A = "sk-tenant-a-0123456789abcdef";
const KEY_B = "sk-tenant-b-0123456789abcdef";
const SCOPE_SECRET = "scope-secret-for-di-tests-0123456789";
const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: "user", content }],
  ...extra,
});

let serverA: MockProvider;
let serverB: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  serverA = await startMockProvider({ provider: "openai", apiKey: KEY_A });
  serverB = await startMockProvider({ provider: "openai", apiKey: KEY_B });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  serverA.reset();
  serverB.reset();
});
afterAll(async () => {
  await Promise.all([serverA.close(), serverB.close()]);
  tmp.remove();
});

interface ClientSpec {
  server: MockProvider;
  key: string;
  cache?: string;
}

function yaml(clients: Record<string, ClientSpec>, cache = ""): string {
  let out = "clients:\n";
  for (const [name, spec] of Object.entries(clients)) {
    out += `  ${name}:\n    provider: openai\n    model: gpt-4o-mini\n`;
    out += `    apiKey: ${spec.key}\n    baseURL: ${spec.server.baseURL}\n`;
    if (spec.cache !== undefined) out += `    cache: ${spec.cache}\n`;
  }
  return `${out}cache:\n  l2: { type: none }\n${cache}`;
}

const container = (text: string): Promise<LLMContainer> => containerFromYaml(tmp, text, open);

describe("cache scope through createLLMContainer", () => {
  it("sends each tenant's request to its own server when both ask the same", async () => {
    const c = await container(
      yaml({
        a: { server: serverA, key: KEY_A, cache: "{ namespace: tenant-a }" },
        b: { server: serverB, key: KEY_B, cache: "{ namespace: tenant-b }" },
      }),
    );
    await c.clients.get("a").generate(ask("What is our refund policy?"));
    const fromB = await c.clients.get("b").generate(ask("What is our refund policy?"));
    expect(fromB.origin).toEqual({ type: "upstream" });
    expect(serverA.requests).toHaveLength(1);
    expect(serverB.requests).toHaveLength(1);
  });

  it("keeps two servers apart even without namespaces", async () => {
    const c = await container(
      yaml({ a: { server: serverA, key: KEY_A }, b: { server: serverB, key: KEY_B } }),
    );
    await c.clients.get("a").generate(ask("hello"));
    await c.clients.get("b").generate(ask("hello"));
    expect(serverB.requests).toHaveLength(1);
  });

  it("honours each client's namespace on one server", async () => {
    const c = await container(
      yaml({
        a: { server: serverA, key: KEY_A, cache: "{ namespace: one }" },
        b: { server: serverA, key: KEY_A, cache: "{ namespace: two }" },
      }),
    );
    const first = await c.clients.get("a").generate(ask("hello"));
    const second = await c.clients.get("b").generate(ask("hello"));
    expect(second.origin).toEqual({ type: "upstream" });
    expect(serverA.requests).toHaveLength(2);
    expect(String(first.providerMetadata?.cacheKey).startsWith("one:")).toBe(true);
    expect(String(second.providerMetadata?.cacheKey).startsWith("two:")).toBe(true);
  });

  it("answers a client with a wrong key from the server, not the cache, under credential scope", async () => {
    const c = await container(
      yaml(
        {
          good: { server: serverA, key: KEY_A, cache: "{ scope: credential }" },
          wrong: { server: serverA, key: KEY_B, cache: "{ scope: credential }" },
        },
        `  scopeSecret: ${SCOPE_SECRET}\n`,
      ),
    );
    await c.clients.get("good").generate(ask("secret plans"));
    await expect(c.clients.get("wrong").generate(ask("secret plans"))).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(serverA.requests).toHaveLength(2);
  });

  it("serves two identically configured clients from one entry", async () => {
    const c = await container(
      yaml(
        { x: { server: serverA, key: KEY_A }, y: { server: serverA, key: KEY_A } },
        `  scope: credential\n  scopeSecret: ${SCOPE_SECRET}\n`,
      ),
    );
    await c.clients.get("x").generate(ask("hello"));
    const fromY = await c.clients.get("y").generate(ask("hello"));
    expect(fromY.origin).toMatchObject({ type: "cache", level: "l1" });
    expect(serverA.requests).toHaveLength(1);
    const stats = c.get(TOKENS.CacheMiddleware)!.stats();
    expect(stats.lookups).toBe(2);
    expect(stats.upstreamCalls).toBe(1);
  });

  it("shares answers between two servers named as one instance", async () => {
    const c = await container(
      yaml({
        eu: { server: serverA, key: KEY_A, cache: "{ instance: acme-openai }" },
        us: { server: serverB, key: KEY_B, cache: "{ instance: acme-openai }" },
      }),
    );
    await c.clients.get("eu").generate(ask("hello"));
    const fromUs = await c.clients.get("us").generate(ask("hello"));
    expect(fromUs.origin).toMatchObject({ type: "cache" });
    expect(serverB.requests).toHaveLength(0);
  });

  it("turns the cache off for a client with enabled false or cache false", async () => {
    const c = await container(
      yaml({
        off: { server: serverA, key: KEY_A, cache: "{ enabled: false }" },
        none: { server: serverA, key: KEY_A, cache: "false" },
      }),
    );
    for (const name of ["off", "off", "none", "none"]) {
      await c.clients.get(name).generate(ask("hello"));
    }
    expect(serverA.requests).toHaveLength(4);
  });

  it("caches temperature > 0 only for the client whose policy allows it", async () => {
    const c = await container(
      yaml({
        varied: {
          server: serverA,
          key: KEY_A,
          cache: "{ policy: { allowNonDeterministic: true } }",
        },
        plain: { server: serverB, key: KEY_B },
      }),
    );
    for (const name of ["varied", "varied", "plain", "plain"]) {
      await c.clients.get(name).generate(ask("a poem", { temperature: 0.9 }));
    }
    expect(serverA.requests).toHaveLength(1);
    expect(serverB.requests).toHaveLength(2);
  });

  it("leaves an unset temperature uncached for a client that opts out", async () => {
    const c = await container(
      yaml({
        strict: {
          server: serverA,
          key: KEY_A,
          cache: "{ policy: { cacheUnsetTemperature: false } }",
        },
        plain: { server: serverB, key: KEY_B },
      }),
    );
    for (const name of ["strict", "strict", "plain", "plain"]) {
      await c.clients.get(name).generate(ask("hello"));
    }
    expect(serverA.requests).toHaveLength(2);
    expect(serverB.requests).toHaveLength(1);
  });

  it("applies the client's params before the sampling rule: a configured temperature > 0 is not cached", async () => {
    const text = yaml({ warm: { server: serverA, key: KEY_A } });
    const c = await container(
      text.replace("    baseURL:", "    params: { temperature: 0.8 }\n    baseURL:"),
    );
    await c.clients.get("warm").generate(ask("hello"));
    await c.clients.get("warm").generate(ask("hello"));
    expect(serverA.requests).toHaveLength(2);
    expect(serverA.requests[0]!.body).toMatchObject({ temperature: 0.8 });
  });

  it("applies a changed cache policy on reload, through the handle a caller kept", async () => {
    const file = tmp.write(
      `reload-${Date.now()}.yaml`,
      yaml({ a: { server: serverA, key: KEY_A } }),
    );
    const manager = await ConfigManager.load({ files: [file], env: {} });
    const c = await createLLMContainer({
      config: manager,
      baseDir: packageDir,
      conditions: sourceConditions,
    });
    open.push(c);
    const client = c.clients.get("a");
    await client.generate(ask("hello"));
    await client.generate(ask("hello"));
    expect(serverA.requests).toHaveLength(1);
    writeFileSync(
      file,
      yaml({ a: { server: serverA, key: KEY_A } }, "  policy: { cacheUnsetTemperature: false }\n"),
    );
    expect(await manager.reload()).toBe(true);
    await c.clients.settled();
    await client.generate(ask("hello"));
    expect(serverA.requests).toHaveLength(2);
    await manager.close();
  });

  it("stores a client's answers with its own ttlMs", async () => {
    const namespace = `llm-di-scope-ttl-${process.pid}-${Date.now()}`;
    const c = await container(
      yaml({ a: { server: serverA, key: KEY_A, cache: "{ ttlMs: 90s }" } }).replace(
        "l2: { type: none }",
        `l2: { type: redis, url: "redis://127.0.0.1:6379", namespace: ${namespace} }`,
      ),
    );
    const response = await c.clients.get("a").generate(ask("hello"));
    await c.get(TOKENS.CacheMiddleware)!.flush();
    const key = `{${namespace}}:e:${String(response.providerMetadata?.cacheKey)}`;
    try {
      const ttl = Number(
        execFileSync("redis-cli", ["-h", "127.0.0.1", "pttl", key], { encoding: "utf8" }),
      );
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(90_000);
    } finally {
      await c.get(TOKENS.CacheStore)!.clear();
    }
  });
});
