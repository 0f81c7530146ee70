import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, compose, type LLMClient, type LLMError, ProviderRegistry } from "@llm/core";
import { Hooks } from "@llm/hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePlugin } from "./define-plugin.js";
import { PluginLifecycleError, PluginLoadError } from "./plugin-errors.js";
import { PluginManager } from "./plugin-manager.js";
import type { PluginDefinition, PluginLogger } from "./plugin-types.js";

const silent: PluginLogger = { debug() {}, info() {}, warn() {}, error() {} };

function manager(extra: Partial<ConstructorParameters<typeof PluginManager>[0]> = {}) {
  const errors: LLMError[] = [];
  const hooks = new Hooks();
  const m = new PluginManager({
    hooks,
    registry: new ProviderRegistry(),
    logger: () => silent,
    onError: (e) => errors.push(e),
    ...extra,
  });
  return { m, hooks, errors };
}

/** A plugin that records its lifecycle into `log`. */
function recorder(
  name: string,
  log: string[],
  extra: Partial<PluginDefinition> = {},
): PluginDefinition {
  return definePlugin({
    name,
    version: "1.0.0",
    apiVersion: 1,
    setup: () => void log.push(`setup:${name}`),
    start: () => void log.push(`start:${name}`),
    stop: () => void log.push(`stop:${name}`),
    teardown: () => void log.push(`teardown:${name}`),
    ...extra,
  });
}

const echo: LLMClient = {
  provider: "echo",
  generate: async (request) => ({
    id: "1",
    model: request.model ?? "m",
    provider: "echo",
    text: String(request.messages[0]?.content),
    content: [],
    toolCalls: [],
    finishReason: "stop",
    usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    origin: { type: "upstream" },
  }),
  stream: () => ({ async *[Symbol.asyncIterator]() {} }),
};

describe("PluginManager lifecycle", () => {
  it("sets up in dependency order and stops and tears down in reverse", async () => {
    const log: string[] = [];
    const { m } = manager();
    await m.load([
      recorder("audit", log, { dependencies: ["redact"] }),
      recorder("redact", log),
      recorder("metrics", log),
    ]);
    await m.start();
    expect(m.started).toBe(true);
    expect(m.status().map((s) => [s.name, s.state])).toEqual([
      ["redact", "started"],
      ["audit", "started"],
      ["metrics", "started"],
    ]);
    await m.stop();
    expect(log).toEqual([
      "setup:redact",
      "setup:audit",
      "setup:metrics",
      "start:redact",
      "start:audit",
      "start:metrics",
      "stop:metrics",
      "stop:audit",
      "stop:redact",
      "teardown:metrics",
      "teardown:audit",
      "teardown:redact",
    ]);
    expect(m.status().every((s) => s.state === "stopped")).toBe(true);
  });

  it("disables a plugin that throws in setup, and its dependents, while the others carry on", async () => {
    const log: string[] = [];
    const { m, errors } = manager();
    await m.load([
      recorder("broken", log, {
        setup: () => {
          throw new Error("no database");
        },
      }),
      recorder("needs-broken", log, { dependencies: ["broken"] }),
      recorder("healthy", log),
    ]);
    await m.start();
    expect(m.status().map((s) => [s.name, s.state])).toEqual([
      ["broken", "failed"],
      ["needs-broken", "disabled"],
      ["healthy", "started"],
    ]);
    expect(m.status()[1]!.error).toMatch(/dependency "broken" failed/);
    expect(errors[0]).toBeInstanceOf(PluginLifecycleError);
    expect(errors[0]!.message).toMatch(/"broken" failed in setup: no database/);
    // teardown ran for the half-set-up plugin
    expect(log).toContain("teardown:broken");
  });

  it("disables a plugin that throws in start and tears it down", async () => {
    const log: string[] = [];
    const { m } = manager();
    await m.load([
      recorder("first", log),
      recorder("vital", log, {
        start: () => {
          throw new Error("cannot start");
        },
      }),
    ]);
    await m.start();
    expect(m.status().find((s) => s.name === "vital")!.state).toBe("failed");
    expect(m.status().find((s) => s.name === "first")!.state).toBe("started");
    expect(log).toContain("teardown:vital");
  });

  it("throws when a required plugin given in code fails in start", async () => {
    const log: string[] = [];
    const { m } = manager();
    await m.load([
      recorder("first", log),
      {
        required: true,
        plugin: recorder("vital", log, {
          start: () => {
            throw new Error("cannot start");
          },
        }),
      },
    ]);
    await expect(m.start()).rejects.toThrow(/"vital" failed in start: cannot start/);
    expect(log.slice(-2)).toEqual(["stop:first", "teardown:first"]);
  });

  it("throws when the dependency of a required plugin fails", async () => {
    const { m } = manager();
    await m.load([
      recorder("base", [], {
        setup: () => {
          throw new Error("down");
        },
      }),
      { required: true, plugin: recorder("top", [], { dependencies: ["base"] }) },
    ]);
    await expect(m.start()).rejects.toThrow(/"top" failed in setup: dependency "base" failed/);
  });

  it("runs teardown even when stop throws, and reports both", async () => {
    const log: string[] = [];
    const { m, errors } = manager();
    await m.load([
      recorder("flaky", log, {
        stop: () => {
          throw new Error("stop failed");
        },
        teardown: () => {
          log.push("teardown:flaky");
          throw new Error("teardown failed");
        },
      }),
    ]);
    await m.start();
    await m.stop();
    expect(log).toContain("teardown:flaky");
    expect(errors.map((e) => (e as PluginLifecycleError).phase)).toEqual(["stop", "teardown"]);
  });
});

describe("PluginManager load errors", () => {
  it("names both plugins when a dependency is missing", async () => {
    const { m } = manager();
    const load = m.load([recorder("audit", [], { dependencies: ["redact"] })]);
    await expect(load).rejects.toBeInstanceOf(PluginLoadError);
    await expect(m.load([recorder("audit", [], { dependencies: ["redact"] })])).rejects.toThrow(
      /"audit" depends on "redact"/,
    );
  });

  it("names every plugin of a dependency cycle", async () => {
    const { m } = manager();
    const error = await m
      .load([
        recorder("a", [], { dependencies: ["b"] }),
        recorder("b", [], { dependencies: ["c"] }),
        recorder("c", [], { dependencies: ["a"] }),
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as PluginLoadError).kind).toBe("cycle");
    expect((error as PluginLoadError).plugins.sort()).toEqual(["a", "b", "c"]);
    expect((error as Error).message).toMatch(/a → b → c → a/);
  });

  it("rejects a duplicate name", async () => {
    const { m } = manager();
    await expect(m.load([recorder("x", []), recorder("x", [])])).rejects.toThrow(
      /"x" is listed twice/,
    );
  });

  it("rejects an incompatible apiVersion", async () => {
    const { m } = manager();
    await expect(m.load([{ ...recorder("future", []), apiVersion: 2 }])).rejects.toThrow(
      /"future" targets plugin API 2; this host implements API 1/,
    );
  });
});

describe("PluginContext", () => {
  it("validates the plugin's config section with its schema", async () => {
    let seen: unknown;
    const plugin = definePlugin({
      name: "budget",
      version: "1.0.0",
      apiVersion: 1,
      configSchema: z.object({ limit: z.number().positive() }),
      setup: (ctx) => {
        seen = ctx.config.limit;
      },
    });
    const { m, errors } = manager();
    await m.load([{ plugin, config: { limit: -1 } }]);
    await m.start();
    expect(m.status()[0]!.state).toBe("failed");
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect((errors[0] as ConfigError).issues.map((i) => i.path)).toEqual([
      "plugins.budget.config.limit",
    ]);
    expect(seen).toBeUndefined();

    const ok = manager();
    await ok.m.load([{ plugin, config: { limit: 5 } }]);
    await ok.m.start();
    expect(seen).toBe(5);
    await expect(ok.m.load([{ name: "nothing" }])).rejects.toThrow(/needs `module` or `plugin`/);
  });

  it("adds hooks, middleware, providers and cache stores, and removes them at teardown", async () => {
    const registry = new ProviderRegistry();
    const { m, hooks } = manager({ registry });
    const plugin = definePlugin({
      name: "all-in",
      version: "1.0.0",
      apiVersion: 1,
      setup(ctx) {
        ctx.hooks.hook("beforeRequest", ({ request }) => ({ ...request, model: "from-hook" }));
        ctx.addMiddleware(
          { name: "inner", transformRequest: (r) => ({ ...r, seed: 1 }) },
          { order: 5 },
        );
        ctx.addMiddleware({ name: "outer" }, { order: -1 });
        ctx.registerProvider({ type: "echo", create: () => echo });
        ctx.registerCacheStore("memory-x", () => ({ kind: "memory-x" }));
        ctx.logger.info("ready");
      },
    });
    await m.load([plugin]);
    await m.start();
    expect(m.middlewares().map((mw) => mw.name)).toEqual(["outer", "inner"]);
    expect(registry.types()).toEqual(["echo"]);
    expect(m.cacheStores.has("memory-x")).toBe(true);
    expect(hooks.handlers("beforeRequest").map((h) => h.name)).toEqual(["all-in:beforeRequest"]);
    const client = compose(registry.create("echo"), ...m.middlewares());
    expect((await client.generate({ messages: [{ role: "user", content: "hi" }] })).text).toBe(
      "hi",
    );

    await m.stop();
    expect(registry.types()).toEqual([]);
    expect(m.cacheStores.size).toBe(0);
    expect(hooks.has("beforeRequest")).toBe(false);
    expect(m.middlewares()).toEqual([]);
  });

  it("bounds a hanging plugin hook with the host's hook timeout", async () => {
    const { m, hooks } = manager({ hookTimeoutMs: 10 });
    const reported: string[] = [];
    hooks.onHandlerError((e) => reported.push(e.message));
    await m.load([
      definePlugin({
        name: "slow",
        version: "1.0.0",
        apiVersion: 1,
        setup(ctx) {
          ctx.hooks.hook("onCacheMiss", () => new Promise<void>(() => {}));
        },
      }),
    ]);
    await m.start();
    await hooks.callHook("onCacheMiss", { key: "k" });
    expect(reported[0]).toMatch(/"slow:onCacheMiss" failed: did not settle within 10 ms/);
  });

  it("refuses a provider without a registry and a duplicate cache store type", async () => {
    const m = new PluginManager({ hooks: new Hooks(), logger: () => silent });
    const errors: string[] = [];
    const m2 = new PluginManager({
      hooks: new Hooks(),
      logger: () => silent,
      onError: (e) => errors.push(e.message),
    });
    await m.load([
      definePlugin({
        name: "p",
        version: "1",
        apiVersion: 1,
        setup: (ctx) => ctx.registerProvider({ type: "x", create: () => echo }),
      }),
    ]);
    await m.start();
    expect(m.status()[0]!.state).toBe("failed");
    await m2.load([
      definePlugin({
        name: "s",
        version: "1",
        apiVersion: 1,
        setup: (ctx) => {
          ctx.registerCacheStore("t", () => ({}));
          ctx.registerCacheStore("t", () => ({}));
        },
      }),
    ]);
    await m2.start();
    expect(errors[0]).toMatch(/Cache store type "t" is already registered/);
  });
});

describe("loading plugins from files, folders and packages", () => {
  let dir: string;
  const pluginSource = (name: string, body = "") => `
export default {
  name: ${JSON.stringify(name)},
  version: "0.1.0",
  apiVersion: 1,
  setup(ctx) { ${body} },
};
`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "llm-plugins-"));
    writeFileSync(
      join(dir, "audit.mjs"),
      pluginSource("audit", 'ctx.hooks.hook("onCacheMiss", () => {});'),
    );
    mkdirSync(join(dir, "folder-plugin"));
    writeFileSync(join(dir, "folder-plugin", "index.mjs"), pluginSource("folder"));
    writeFileSync(join(dir, "folder-plugin", "index.js"), pluginSource("folder"));
    writeFileSync(
      join(dir, "factory.mjs"),
      'export const plugin = async () => ({ name: "factory", version: "0.1.0", apiVersion: 1, setup() {} });',
    );
    writeFileSync(join(dir, "not-a-plugin.mjs"), "export default { hello: 1 };");
    writeFileSync(join(dir, "throws-on-import.mjs"), "throw new Error('import-time failure');");
    writeFileSync(
      join(dir, "required-fails.mjs"),
      pluginSource("required-fails", "throw new Error('bad');"),
    );
    const pkg = join(dir, "node_modules", "@acme", "llm-plugin-audit");
    mkdirSync(join(pkg, "dist"), { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({
        name: "@acme/llm-plugin-audit",
        type: "module",
        exports: { ".": { types: "./x.d.ts", import: "./dist/index.js" } },
      }),
    );
    writeFileSync(join(pkg, "dist", "index.js"), pluginSource("acme-audit"));
    const legacy = join(dir, "node_modules", "legacy-plugin");
    mkdirSync(legacy, { recursive: true });
    writeFileSync(
      join(legacy, "package.json"),
      JSON.stringify({ name: "legacy-plugin", type: "module", main: "main.js" }),
    );
    writeFileSync(join(legacy, "main.js"), pluginSource("legacy"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a file, a folder, a factory export and installed packages named by the config", async () => {
    const { m, hooks } = manager({ baseDir: dir });
    await m.load([
      { module: "./audit.mjs", name: "audit" },
      { module: "./folder-plugin" },
      { module: join(dir, "factory.mjs") },
      { module: "@acme/llm-plugin-audit" },
      { module: "legacy-plugin" },
    ]);
    await m.start();
    expect(m.status().map((s) => [s.name, s.state])).toEqual([
      ["audit", "started"],
      ["folder", "started"],
      ["factory", "started"],
      ["acme-audit", "started"],
      ["legacy", "started"],
    ]);
    expect(hooks.has("onCacheMiss")).toBe(true);
    await m.stop();
  });

  it("explains a missing package with the command to install it", async () => {
    const { m } = manager({ baseDir: dir });
    await expect(m.load([{ module: "@acme/absent" }])).rejects.toThrow(/pnpm add @acme\/absent/);
    await expect(m.load([{ module: "./nope.mjs" }])).rejects.toThrow(/does not exist/);
  });

  it("rejects a module that exports no plugin, fails to import, or has another name", async () => {
    const { m } = manager({ baseDir: dir });
    await expect(m.load([{ module: "./not-a-plugin.mjs" }])).rejects.toThrow(
      /must export a plugin/,
    );
    await expect(m.load([{ module: "./throws-on-import.mjs" }])).rejects.toThrow(
      /import-time failure/,
    );
    await expect(m.load([{ module: "./audit.mjs", name: "other" }])).rejects.toThrow(
      /defines "audit", but the config expects "other"/,
    );
  });

  it("throws when a plugin marked required fails, after tearing down the others", async () => {
    const log: string[] = [];
    const { m } = manager({ baseDir: dir });
    await m.load([recorder("early", log), { module: "./required-fails.mjs", required: true }]);
    await expect(m.start()).rejects.toThrow(/"required-fails" failed in setup: bad/);
    expect(log).toEqual(["setup:early", "teardown:early"]);
  });
});
