import { writeFileSync } from "node:fs";
import { type ChatRequest, ConfigError, type LLMClient, type Transport } from "@llm/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import {
  fourProviderYaml,
  type Mocks,
  packageDir,
  sourceConditions,
  startMocks,
  tempDir,
} from "./helpers.js";

const ask = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });

let mocks: Mocks;
const tmp = tempDir();
const open: LLMContainer[] = [];

async function containerFrom(
  yaml: string,
  more: Partial<Parameters<typeof createLLMContainer>[0]> = {},
) {
  const file = tmp.write(`llm-${open.length}.yaml`, yaml);
  const c = await createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: packageDir,
    conditions: sourceConditions,
    ...more,
  });
  open.push(c);
  return { c, file };
}

beforeAll(async () => {
  mocks = await startMocks();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  for (const m of [mocks.openai, mocks.anthropic, mocks.gemini, mocks.ollama]) m.reset();
});
afterAll(async () => {
  await mocks.close();
  tmp.remove();
});

describe("createLLMContainer", () => {
  it("resolves a client of each provider from a YAML config and serves a request through testkit", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    const answers: Record<string, string> = {};
    for (const name of ["fast", "careful", "wide", "local"]) {
      const response = await c.clients.get(name).generate(ask(`hello ${name}`));
      expect(response.text.length).toBeGreaterThan(0);
      answers[name] = response.provider;
    }
    expect(answers).toEqual({
      fast: "openai",
      careful: "anthropic",
      wide: "gemini",
      local: "ollama",
    });
    expect(mocks.openai.requests[0]!.body).toMatchObject({ model: "gpt-4o-mini", temperature: 0 });
    expect(mocks.anthropic.requests[0]!.headers["x-api-key"]).toBe("sk-ant-test-key-123456");
    expect(c.clients.names()).toEqual(["careful", "fast", "local", "wide"]);
  });

  it("serves a repeated request from the cache and streams through the same chain", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    const client = c.clients.get("fast");
    const first = await client.generate(ask("cache me"));
    const second = await client.generate(ask("cache me"));
    expect(first.origin.type).toBe("upstream");
    expect(second.origin).toMatchObject({ type: "cache", level: "l1" });
    expect(second.text).toBe(first.text);
    expect(mocks.openai.requests).toHaveLength(1);
    let streamed = "";
    for await (const event of client.stream(ask("stream me"))) {
      if (event.type === "text-delta") streamed += event.delta;
    }
    expect(streamed.length).toBeGreaterThan(0);
    expect(c.get(TOKENS.CacheMiddleware)!.stats().hits.l1).toBe(1);
  });

  it("returns one stable client per name", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    expect(c.clients.get("fast")).toBe(c.clients.get("fast"));
    expect(c.clients.get("fast").provider).toBe("openai");
    expect(c.clients.get("fast").model).toBe("gpt-4o-mini");
  });

  it("falls back to the next client when the primary's provider is down", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    const fallbacks: string[] = [];
    c.get(TOKENS.Hooks).hook("onFallback", ({ from, to }) => void fallbacks.push(`${from}→${to}`));
    mocks.openai.when(() => true, { status: 503 });
    const response = await c.clients.get("fast").generate(ask("who answers?"));
    expect(response.provider).toBe("anthropic");
    expect(fallbacks).toEqual(["fast→careful"]);
    expect(mocks.openai.requests).toHaveLength(2); // retried once, then fell back
  });

  it("names the configured clients when asked for an unknown one", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    expect(() => c.clients.get("summarizer")).toThrow(ConfigError);
    expect(() => c.clients.get("summarizer")).toThrow(
      /Unknown client "summarizer"; configured clients: careful, fast, local, wide/,
    );
  });

  it("explains a missing provider package with the command to install it", async () => {
    const { c } = await containerFrom(`
clients:
  odd:
    provider: acme
    model: a-1
`);
    expect(() => c.clients.get("odd")).toThrow(
      /provider "acme", which is not installed: run `pnpm add @llm\/provider-acme`/,
    );
  });

  it("rejects a config whose fallbacks form a cycle", async () => {
    await expect(
      containerFrom(`
clients:
  a: { provider: openai, model: m, apiKey: sk-aaaaaaaa, fallbacks: [b] }
  b: { provider: openai, model: m, apiKey: sk-aaaaaaaa, fallbacks: [a] }
`),
    ).rejects.toThrow(ConfigError);
  });

  it("switches a client's model on a hot reload without a restart", async () => {
    const yamlFile = tmp.write("watched.yaml", fourProviderYaml(mocks));
    const live = await createLLMContainer({
      config: { files: [yamlFile], env: {}, watch: true, debounceMs: 20 },
      baseDir: packageDir,
      conditions: sourceConditions,
    });
    open.push(live);
    const client = live.clients.get("fast");
    await client.generate(ask("before"));
    const manager = live.get(TOKENS.ConfigManager);
    const changed = new Promise<void>((resolve) => manager.onChange(() => resolve()));
    writeFileSync(
      yamlFile,
      fourProviderYaml(mocks).replace("model: gpt-4o-mini", "model: gpt-4.1-nano"),
    );
    await changed;
    await live.clients.settled();
    const after = await client.generate(ask("after"));
    expect(after.model).toBe("gpt-4.1-nano");
    expect(mocks.openai.requests.at(-1)!.body).toMatchObject({ model: "gpt-4.1-nano" });
  });

  it("lets a child container override a binding for one scope", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    const seen: string[] = [];
    const real = c.get(TOKENS.Transport);
    const child = c.createChild((container) => {
      container.bind(TOKENS.Transport).toConstantValue({
        request: (req) => {
          seen.push(req.url);
          return real.request(req);
        },
      } satisfies Transport);
      container
        .bind(TOKENS.LLMClientFactory)
        .toDynamicValue(() => c.clients)
        .inSingletonScope();
    });
    expect(child.get(TOKENS.Transport)).not.toBe(real);
    expect(child.get(TOKENS.ConfigManager)).toBe(c.get(TOKENS.ConfigManager));
    const transport = child.get(TOKENS.Transport);
    await transport.request({
      url: `${mocks.openai.origin}/v1/models`,
      method: "GET",
      headers: {},
    });
    expect(seen).toEqual([`${mocks.openai.origin}/v1/models`]);
  });

  it("loads the plugins the config names", async () => {
    const plugin = tmp.write(
      "audit.mjs",
      `export default { name: "audit", version: "1.0.0", apiVersion: 1,
        setup(ctx) { ctx.hooks.hook("afterResponse", ({ call }) => { globalThis.__audit = (globalThis.__audit ?? []).concat(call.client); }); } };`,
    );
    const { c } = await containerFrom(
      fourProviderYaml(
        mocks,
        `plugins:\n  - module: ${JSON.stringify(plugin)}\n  - module: "@llm/plugin-otel"\n`,
      ),
    );
    await c.clients.get("local").generate(ask("audited"));
    expect((globalThis as { __audit?: string[] }).__audit).toEqual(["local"]);
    expect(
      c
        .get(TOKENS.PluginManager)
        .status()
        .map((s) => [s.name, s.state]),
    ).toEqual([
      ["audit", "started"],
      ["otel", "started"],
    ]);
  });

  it("uses a SQLite L2 named by the config, so a new container starts warm", async () => {
    const yaml = fourProviderYaml(mocks).replace(
      "l2: { type: none }",
      `l2: { type: sqlite, path: ${JSON.stringify(`${tmp.dir}/cache.sqlite`)} }`,
    );
    const { c: first } = await containerFrom(yaml);
    await first.clients.get("wide").generate(ask("persist me"));
    await first.dispose();
    const { c: second } = await containerFrom(yaml);
    const warm = await second.clients.get("wide").generate(ask("persist me"));
    expect(warm.origin).toMatchObject({ type: "cache", level: "l2" });
    expect(mocks.gemini.requests).toHaveLength(1);
  });

  it("shares answers between containers through a Redis L2", async () => {
    const namespace = `llm-di-test-${process.pid}-${Date.now()}`;
    const yaml = fourProviderYaml(mocks).replace(
      "l2: { type: none }",
      `l2: { type: redis, url: "redis://127.0.0.1:6379", namespace: ${namespace} }`,
    );
    const { c: a } = await containerFrom(yaml);
    const { c: b } = await containerFrom(yaml);
    await a.clients.get("careful").generate(ask("shared"));
    await a.get(TOKENS.CacheMiddleware)!.flush();
    const fromB = await b.clients.get("careful").generate(ask("shared"));
    expect(fromB.origin).toMatchObject({ type: "cache", level: "l2" });
    await a.get(TOKENS.CacheStore)!.clear();
  });

  it("disposes idempotently and fails cleanly when construction fails", async () => {
    const { c } = await containerFrom(fourProviderYaml(mocks));
    const client: LLMClient = c.clients.get("fast");
    await Promise.all([c.dispose(), c.dispose()]);
    expect(client.provider).toBe("openai");
    await expect(
      containerFrom(fourProviderYaml(mocks, `plugins:\n  - module: ./does-not-exist.mjs\n`)),
    ).rejects.toThrow(/does not exist/);
  });
});
