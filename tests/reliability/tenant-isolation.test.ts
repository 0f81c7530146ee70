import { writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { AuthenticationError, type ChatRequest, type LLMClient } from "@llm/core";
import { createLLMContainer, type LLMContainer, TOKENS } from "@llm/di";
import { provider as anthropicProvider } from "@llm/provider-anthropic";
import { provider as openaiProvider } from "@llm/provider-openai";
import { type MockProvider, type RecordedRequest, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "./support/prng.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";
import { runConcurrently } from "./support/run-concurrently.js";
import { tempDir } from "./support/temp-dir.js";

/**
 * Issue #11 item 1: a cached answer must never cross tenants. Two containers
 * (two "processes") share a private Redis L2 and one config of tenants that
 * differ by server, organisation header, beta header, namespace or key. Every
 * server signs its answers with who it saw (server, org, beta, key); a random
 * mix of requests through both containers, generate and stream, must get back
 * exactly its own tenant's signature — hits included — and a wrong key under
 * credential scope only ever the server's 401.
 */

const REQUESTS = Number(process.env.TENANT_REQUESTS ?? 600);
const PROMPTS = 12;
const KEYS = { k1: "sk-tenant-key-one-000001", k2: "sk-tenant-key-two-000002" } as const;
const ANTHROPIC_KEY = "sk-ant-tenant-key-000003";
const WRONG_KEY = "sk-tenant-key-wrong-00004";
const label = (key: string | undefined) =>
  key === undefined ? "-" : (Object.entries(KEYS).find(([, v]) => key.endsWith(v))?.[0] ?? "other");

const servers: Record<string, MockProvider> = {};
let redis: PrivateRedis;
const tmp = tempDir("tenants");
const containers: LLMContainer[] = [];

/** Every answer names the server and the account headers it was asked with. */
const signer = (server: string) => (request: RecordedRequest) => {
  const last = (request.body as { messages?: Array<{ content?: unknown }> }).messages?.at(-1);
  const prompt = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content);
  const org = request.headers["openai-organization"] ?? "-";
  const beta = request.headers["anthropic-beta"] ?? "-";
  const key = label(request.headers.authorization ?? request.headers["x-api-key"]);
  return { text: `${server}|org=${org}|beta=${beta}|key=${key}|${prompt}` };
};

interface Tenant {
  server: string;
  yaml: string;
  /** What the server signs for this tenant; `undefined`: it must always be refused. */
  signature: string | undefined;
}

function tenants(): Record<string, Tenant> {
  const a = servers.a!;
  const b = servers.b!;
  const c = servers.c!;
  // acme's server written differently: scheme case and a trailing slash.
  const alias = `${a.baseURL.replace(/^http:/, "HTTP:")}/`;
  const openai = (base: string, key: string, extra = "") =>
    `{ provider: openai, model: gpt-4o-mini, apiKey: ${key}, baseURL: "${base}"${extra} }`;
  return {
    acme: {
      server: "a",
      yaml: openai(a.baseURL, KEYS.k1, ", headers: { OpenAI-Organization: org-acme }"),
      signature: "a|org=org-acme|beta=-|key=k1",
    },
    globex: {
      server: "a",
      yaml: openai(a.baseURL, KEYS.k1, ", headers: { OpenAI-Organization: org-globex }"),
      signature: "a|org=org-globex|beta=-|key=k1",
    },
    // acme again, written differently (host case, trailing slash): one instance, may share.
    acmeAlias: {
      server: "a",
      yaml: openai(alias, KEYS.k1, ", headers: { openai-organization: org-acme }"),
      signature: "a|org=org-acme|beta=-|key=k1",
    },
    initech: { server: "b", yaml: openai(b.baseURL, KEYS.k2), signature: "b|org=-|beta=-|key=k2" },
    initechOwnNamespace: {
      server: "b",
      yaml: openai(b.baseURL, KEYS.k2, ", cache: { namespace: initech-2 }"),
      signature: "b|org=-|beta=-|key=k2",
    },
    umbrella: {
      server: "c",
      yaml: `{ provider: anthropic, model: claude-3-5-haiku-latest, apiKey: ${ANTHROPIC_KEY}, baseURL: "${c.baseURL}" }`,
      signature: "c|org=-|beta=-|key=other",
    },
    umbrellaBeta: {
      server: "c",
      yaml: `{ provider: anthropic, model: claude-3-5-haiku-latest, apiKey: ${ANTHROPIC_KEY}, baseURL: "${c.baseURL}", headers: { anthropic-beta: output-128k-2025-02-19 } }`,
      signature: "c|org=-|beta=output-128k-2025-02-19|key=other",
    },
    intruder: {
      server: "a",
      yaml: openai(
        a.baseURL,
        WRONG_KEY,
        ", headers: { OpenAI-Organization: org-acme }, cache: { scope: credential }",
      ),
      signature: undefined,
    },
  };
}

beforeAll(async () => {
  servers.a = await startMockProvider({
    provider: "openai",
    apiKey: KEYS.k1,
    responder: signer("a"),
  });
  servers.b = await startMockProvider({
    provider: "openai",
    apiKey: KEYS.k2,
    responder: signer("b"),
  });
  servers.c = await startMockProvider({
    provider: "anthropic",
    apiKey: ANTHROPIC_KEY,
    responder: signer("c"),
  });
  redis = new PrivateRedis(await freePort());
  await redis.start();
  let yaml = "clients:\n";
  for (const [name, tenant] of Object.entries(tenants())) yaml += `  ${name}: ${tenant.yaml}\n`;
  yaml += `cache:\n  scopeSecret: tenant-isolation-scope-secret\n  l2: { type: redis, url: "${redis.url}", namespace: tenants }\n`;
  const file = tmp.path("llm.yaml");
  writeFileSync(file, yaml);
  for (let i = 0; i < 2; i++) {
    containers.push(
      await createLLMContainer({
        config: { files: [file], env: {} },
        baseDir: dirname(fileURLToPath(import.meta.url)),
        conditions: ["@llm/source"],
        providers: [openaiProvider, anthropicProvider],
      }),
    );
  }
});

afterAll(async () => {
  await Promise.all(containers.map((c) => c.dispose()));
  await Promise.all(Object.values(servers).map((s) => s.close()));
  await redis?.kill();
  tmp.remove();
});

async function answer(client: LLMClient, request: ChatRequest, stream: boolean) {
  if (!stream) return (await client.generate(request)).text;
  let text = "";
  for await (const event of client.stream(request))
    if (event.type === "text-delta") text += event.delta;
  return text;
}

describe("tenant isolation under a shared cache", () => {
  it("gives every tenant only its own provider instance's answers, across two containers on one Redis", async () => {
    const all = tenants();
    const names = Object.keys(all);
    const random = seededRandom(Number(process.env.FUZZ_SEED ?? 11));
    const crossed: string[] = [];
    const unexpected: string[] = [];
    let refused = 0;
    await runConcurrently(REQUESTS, 8, async () => {
      const name = names[Math.floor(random() * names.length)]!;
      const prompt = `question ${Math.floor(random() * PROMPTS)}`;
      const container = containers[Math.floor(random() * containers.length)]!;
      const stream = random() < 0.3;
      const tenant = all[name]!;
      try {
        const text = await answer(
          container.clients.get(name),
          { messages: [{ role: "user", content: prompt }], temperature: 0 },
          stream,
        );
        if (text !== `${tenant.signature}|${prompt}`) crossed.push(`${name}: ${text}`);
      } catch (error) {
        if (tenant.signature === undefined && error instanceof AuthenticationError) refused++;
        else unexpected.push(`${name}: ${String(error)}`);
      }
    });
    expect(crossed).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(refused).toBeGreaterThan(0);
    const hits = containers
      .flatMap((c) => Object.values(c.get(TOKENS.CacheMiddleware)!.stats().hits))
      .reduce((sum, n) => sum + n, 0);
    // The cache did its job too: most requests repeat a (tenant, prompt) pair.
    expect(hits).toBeGreaterThan(REQUESTS / 2);
  });
});
