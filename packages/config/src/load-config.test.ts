import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, parseConfigText } from "./load-config.js";
import { redactValue } from "./secrets.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-config-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function issuesOf(promise: Promise<unknown>): Promise<ConfigError["issues"]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues;
}

const COALESCE_DEFAULTS = {
  enabled: true,
  leaseMs: 10_000,
  maxWaitMs: 60_000,
  maxEvents: 10_000,
  maxEventBytes: 256 * 1024,
};

describe("layers", () => {
  it("fills every section with built-in defaults when nothing is given", async () => {
    const config = await loadConfig({ env: {} });
    expect(config.clients).toEqual({});
    expect(config.cache.enabled).toBe(true);
    expect(config.cache.l1).toEqual({
      maxEntries: 10_000,
      maxBytes: 64 * 1024 ** 2,
      ttlMs: 3_600_000,
      policy: "w-tinylfu",
      compress: true,
    });
    expect(config.cache.l2).toEqual({ type: "none" });
    // Unset pool fields keep @llm/pool's own LLM-tuned defaults.
    expect(config.pool.connections).toBeUndefined();
    expect(config.memory.highWatermark).toBe(0.85);
    expect(config.plugins).toEqual([]);
    expect(config.hooks.timeoutMs).toBe(5_000);
  });

  it("lets a file override defaults and a later file override an earlier one", async () => {
    const base = await file(
      "base.yaml",
      "clients:\n  fast: { provider: openai, model: gpt-4o-mini, params: { temperature: 0.1, maxTokens: 100 } }\npool: { connections: 8 }\n",
    );
    const prod = await file(
      "prod.json",
      JSON.stringify({ clients: { fast: { params: { temperature: 0.7 } } } }),
    );
    const config = await loadConfig({ files: [base, prod], env: {} });
    expect(config.clients.fast?.params).toEqual({ temperature: 0.7, maxTokens: 100 });
    expect(config.pool.connections).toBe(8);
    expect(config.pool.pipelining).toBeUndefined();
  });

  it("replaces arrays instead of merging them", async () => {
    const clients =
      "clients:\n  a: { provider: x, model: m, fallbacks: [b, c] }\n  b: { provider: x, model: m }\n  c: { provider: x, model: m }\n";
    const base = await file("a.yaml", clients);
    const over = await file("b.yaml", "clients:\n  a: { fallbacks: [c] }\n");
    const config = await loadConfig({ files: [base, over], env: {} });
    expect(config.clients.a?.fallbacks).toEqual(["c"]);
  });

  it("replaces an object that switches to another variant of a union", async () => {
    const base = await file(
      "l2.yaml",
      "cache:\n  l2: { type: sqlite, path: ./cache.db, maxBytes: 1MB }\n",
    );
    const config = await loadConfig({
      files: [base],
      env: {},
      overrides: { cache: { l2: { type: "redis", url: "redis://127.0.0.1:6379" } } },
    });
    expect(redactValue(config.cache.l2)).toEqual({
      type: "redis",
      url: "redis://127.0.0.1:6379",
      namespace: "llm",
      coalesce: COALESCE_DEFAULTS,
    });
    const same = await loadConfig({
      files: [base],
      env: {},
      overrides: { cache: { l2: { type: "sqlite", maxBytes: 2_000 } } },
    });
    expect(same.cache.l2).toEqual({ type: "sqlite", path: "./cache.db", maxBytes: 2_000 });
  });

  it("applies environment overrides over files", async () => {
    const base = await file(
      "a.yaml",
      "clients:\n  fast: { provider: openai, model: gpt-4o-mini }\n",
    );
    const config = await loadConfig({
      files: [base],
      env: {
        LLM__CLIENTS__FAST__MODEL: "gpt-4.1",
        LLM__CLIENTS__FAST__PARAMS__MAX_TOKENS: "256",
        LLM__CLIENTS__FAST__PARAMS__TEMPERATURE: "0.5",
        LLM__POOL__KEEPALIVETIMEOUTMS: "10s",
        LLM__CACHE__ENABLED: "false",
        LLM__CLIENTS__FAST__FALLBACKS: "[]",
        UNRELATED: "x",
      },
    });
    expect(config.clients.fast?.model).toBe("gpt-4.1");
    expect(config.clients.fast?.params?.maxTokens).toBe(256);
    expect(config.clients.fast?.params?.temperature).toBe(0.5);
    expect(config.clients.fast?.fallbacks).toEqual([]);
    expect(config.pool.keepAliveTimeoutMs).toBe(10_000);
    expect(config.cache.enabled).toBe(false);
  });

  it("creates a client from environment variables alone, lower-casing its name", async () => {
    const config = await loadConfig({
      env: { LLM__CLIENTS__Local__PROVIDER: "ollama", LLM__CLIENTS__LOCAL__MODEL: "123" },
    });
    expect(config.clients.local).toEqual({ provider: "ollama", model: "123" });
  });

  it("sets list items and free-form plugin config through the environment", async () => {
    const base = await file("a.yaml", "plugins:\n  - module: ./audit.js\n");
    const config = await loadConfig({
      files: [base],
      env: {
        LLM__PLUGINS__0__REQUIRED: "true",
        LLM__PLUGINS__0__CONFIG__PORT: "9000",
        LLM__PLUGINS__0__CONFIG__LABEL: "{bad json",
      },
    });
    expect(config.plugins[0]).toEqual({
      module: "./audit.js",
      required: true,
      config: { port: 9000, label: "{bad json" },
    });
  });

  it("honours a custom prefix and can turn environment overrides off", async () => {
    const env = { APP_POOL__CONNECTIONS: "3", LLM__POOL__CONNECTIONS: "5" };
    expect((await loadConfig({ env, envPrefix: "APP_" })).pool.connections).toBe(3);
    expect((await loadConfig({ env, envPrefix: false })).pool.connections).toBeUndefined();
  });

  it("gives values in code the last word", async () => {
    const base = await file("a.yaml", "pool: { connections: 8 }\n");
    const config = await loadConfig({
      files: [base],
      env: { LLM__POOL__CONNECTIONS: "4" },
      overrides: { pool: { connections: 2 } },
    });
    expect(config.pool.connections).toBe(2);
  });

  it("reads in-memory sources after files", async () => {
    const base = await file("a.yaml", "pool: { connections: 8, pipelining: 2 }\n");
    const config = await loadConfig({
      files: [base],
      sources: [{ text: '{"pool": {"connections": 9}}', file: "inline.json" }],
      env: {},
    });
    expect(config.pool).toMatchObject({ connections: 9, pipelining: 2 });
  });

  it("returns a deeply frozen config", async () => {
    const config = await loadConfig({
      sources: [{ text: "clients: { a: { provider: x, model: m } }" }],
      env: {},
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.clients.a)).toBe(true);
    expect(Object.isFrozen(config.plugins)).toBe(true);
  });

  it("supports YAML anchors and merge keys for shared client blocks", () => {
    const config = parseConfigText(
      "x-base: &base { provider: openai, params: { temperature: 0 } }\nclients:\n  a: { <<: *base, model: a }\n  b: { <<: *base, model: b }\n"
        .replace(
          "x-base: &base { provider: openai, params: { temperature: 0 } }\nclients:\n",
          "clients:\n  a: &base { provider: openai, model: a, params: { temperature: 0 } }\n",
        )
        .replace("  a: { <<: *base, model: a }\n", ""),
    );
    expect(config.clients.b).toEqual({
      provider: "openai",
      model: "b",
      params: { temperature: 0 },
    });
  });
});

describe("validation errors", () => {
  it("lists every problem with its path, file, line and column", async () => {
    const path = await file(
      "bad.yaml",
      [
        "clients:", // 1
        "  fast:", // 2
        "    provider: openai", // 3
        "    modle: gpt-4o", // 4
        "    params: { temperature: 7 }", // 5
        "    fallbacks: [ghost]", // 6
        "cache:", // 7
        "  l2: { type: mongo }", // 8
        "pool: { connections: 0 }", // 9
      ].join("\n"),
    );
    const issues = await issuesOf(loadConfig({ files: [path], env: {} }));
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(byPath["clients.fast.model"]).toMatchObject({
      file: path,
      line: 2,
      column: 3,
      message: "is required (expected string)",
    });
    expect(byPath["clients.fast.modle"]).toMatchObject({
      file: path,
      line: 4,
      column: 5,
      message: 'unknown key "modle"',
    });
    expect(byPath["clients.fast.params.temperature"]).toMatchObject({ line: 5, column: 28 });
    expect(byPath["clients.fast.fallbacks.0"]).toMatchObject({
      line: 6,
      column: 17,
      message: expect.stringContaining('unknown client "ghost"'),
    });
    expect(byPath["cache.l2.type"]).toMatchObject({ line: 8, column: 15 });
    expect(byPath["pool.connections"]).toMatchObject({ line: 9, column: 22 });
    expect(issues).toHaveLength(6);
  });

  it("gives positions inside JSON files", async () => {
    const path = await file("bad.json", '{\n  "pool": {\n    "connections": "many"\n  }\n}\n');
    const issues = await issuesOf(loadConfig({ files: [path], env: {} }));
    expect(issues).toEqual([
      { path: "pool.connections", message: expect.any(String), file: path, line: 3, column: 20 },
    ]);
  });

  it("reports a YAML syntax error with its position", async () => {
    const path = await file("broken.yaml", "pool:\n  connections: [1, 2\n");
    const issues = await issuesOf(loadConfig({ files: [path], env: {} }));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({
      path: "",
      file: path,
      line: expect.any(Number),
      column: expect.any(Number),
    });
  });

  it("reports a JSON syntax error with its position", async () => {
    const path = await file("broken.json", '{\n  "pool": {"connections": 1,,}\n}');
    const issues = await issuesOf(loadConfig({ files: [path], env: {} }));
    expect(issues[0]).toMatchObject({ file: path, line: 2 });
  });

  it("reports duplicate keys", () => {
    expect(() => parseConfigText("pool: {}\npool: {}\n", { file: "d.yaml" })).toThrowError(
      /duplicate key "pool" \(first at line 1\) \(d\.yaml:2:1\)/,
    );
  });

  it("rejects a document whose top level is not a mapping", () => {
    expect(() => parseConfigText("- a\n- b\n", { file: "l.yaml" })).toThrowError(
      /top level must be a mapping.*list/,
    );
    expect(() => parseConfigText("42", { file: "n.json" })).toThrowError(
      /top level must be a mapping.*number/,
    );
  });

  it("treats an empty file as no settings", () => {
    expect(parseConfigText("").hooks.timeoutMs).toBe(5_000);
    expect(parseConfigText("# only a comment\n").clients).toEqual({});
  });

  it("reports a missing file together with problems in the other files", async () => {
    const good = await file("good.yaml", "pool: { connections: 1 }\n");
    const missing = join(dir, "missing.yaml");
    const issues = await issuesOf(loadConfig({ files: [good, missing], env: {} }));
    expect(issues).toEqual([{ path: "", file: missing, message: "file not found" }]);
  });

  it("reports a file that cannot be read", async () => {
    const issues = await issuesOf(loadConfig({ files: [dir], env: {} }));
    expect(issues[0]?.message).toMatch(/cannot read file \(EISDIR\)/);
  });

  it("names the environment variable behind a bad override", async () => {
    const issues = await issuesOf(loadConfig({ env: { LLM__POOL__CONNECTIONS: "lots" } }));
    expect(issues).toEqual([
      {
        path: "pool.connections",
        message: expect.stringContaining("(from environment variable LLM__POOL__CONNECTIONS)"),
      },
    ]);
  });

  it("says when a bad value was set in code", async () => {
    const issues = await issuesOf(
      loadConfig({ env: {}, overrides: { pool: { connections: -1 } } }),
    );
    expect(issues[0]?.message).toContain("(set in code)");
  });

  it("rejects a fallback to the client itself and fallback cycles", () => {
    const text = [
      "clients:",
      "  a: { provider: x, model: m, fallbacks: [b] }",
      "  b: { provider: x, model: m, fallbacks: [c] }",
      "  c: { provider: x, model: m, fallbacks: [a] }",
      "  d: { provider: x, model: m, fallbacks: [d] }",
    ].join("\n");
    let error: ConfigError | undefined;
    try {
      parseConfigText(text, { file: "f.yaml" });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.issues).toEqual([
      {
        path: "clients.d.fallbacks.0",
        message: 'client "d" cannot fall back to itself',
        file: "f.yaml",
        line: 5,
        column: 43,
      },
      {
        path: "clients.a.fallbacks",
        message: 'fallback cycle among clients "a", "b", "c"',
        file: "f.yaml",
        line: 2,
        column: 42,
      },
    ]);
  });

  it("accepts a fallback chain without a cycle", () => {
    const text =
      "clients:\n  a: { provider: x, model: m, fallbacks: [b, c] }\n  b: { provider: x, model: m, fallbacks: [c] }\n  c: { provider: x, model: m }\n";
    expect(parseConfigText(text).clients.a?.fallbacks).toEqual(["b", "c"]);
  });

  it("rejects a high watermark at or above the critical one", () => {
    expect(() =>
      parseConfigText("memory: { highWatermark: 0.9, criticalWatermark: 0.9 }"),
    ).toThrowError(/memory\.highWatermark: must be below criticalWatermark \(0\.9\)/);
  });

  it("accepts every cache level type", () => {
    expect(
      parseConfigText("cache: { l2: { type: sqlite, path: ./cache.db, maxBytes: 1GB } }").cache.l2,
    ).toEqual({
      type: "sqlite",
      path: "./cache.db",
      maxBytes: 1e9,
    });
    expect(
      redactValue(
        parseConfigText("cache: { l2: { type: redis, url: 'redis://127.0.0.1:6379' } }").cache.l2,
      ),
    ).toEqual({
      type: "redis",
      url: "redis://127.0.0.1:6379",
      namespace: "llm",
      coalesce: COALESCE_DEFAULTS,
    });
  });

  it("accepts a client cache given as a boolean or as settings", () => {
    const text =
      "clients:\n  a: { provider: x, model: m, cache: 'false' }\n  b: { provider: x, model: m, cache: { ttlMs: 1m, namespace: b } }\n";
    const config = parseConfigText(text);
    expect(config.clients.a?.cache).toBe(false);
    expect(config.clients.b?.cache).toEqual({ ttlMs: 60_000, namespace: "b" });
  });

  it("accepts per-client cache scope, enabled flag and sampling policy", () => {
    const text =
      "clients:\n  a: { provider: x, model: m, cache: { enabled: 'false', scope: credential, instance: acme, policy: { allowNonDeterministic: true, cacheUnsetTemperature: 'false' } } }\n";
    expect(parseConfigText(text).clients.a?.cache).toEqual({
      enabled: false,
      scope: "credential",
      instance: "acme",
      policy: { allowNonDeterministic: true, cacheUnsetTemperature: false },
    });
  });

  it("defaults the cache to instance scope, caching unset temperature but not variety", () => {
    const { cache } = parseConfigText("{}");
    expect(cache.scope).toBe("instance");
    expect(cache.scopeSecret).toBeUndefined();
    expect(cache.policy).toEqual({ allowNonDeterministic: false, cacheUnsetTemperature: true });
  });

  it("rejects an unknown cache scope and a short scope secret, naming the path", () => {
    expect(() =>
      parseConfigText("clients:\n  a: { provider: x, model: m, cache: { scope: tenant } }\n"),
    ).toThrow(/clients\.a\.cache/);
    let error: unknown;
    try {
      parseConfigText("cache: { scopeSecret: tiny-secret }");
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toMatch(/cache\.scopeSecret: .*needs at least 16 characters/);
    expect((error as Error).message).not.toContain("tiny-secret");
  });

  it("fills retry and circuit breaker defaults once the block is present", () => {
    const config = parseConfigText(
      "clients:\n  a: { provider: x, model: m, retries: {}, circuitBreaker: { failureThreshold: 2 } }\n",
    );
    expect(config.clients.a?.retries).toEqual({
      maxAttempts: 3,
      baseDelayMs: 250,
      maxDelayMs: 10_000,
    });
    expect(config.clients.a?.circuitBreaker).toEqual({
      enabled: true,
      failureThreshold: 2,
      resetTimeoutMs: 30_000,
      halfOpenMaxCalls: 1,
    });
  });
});
