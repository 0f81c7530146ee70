import {
  type ChatRequest,
  compose,
  isLLMError,
  type LLMClient,
  type LLMError,
  ProviderRegistry,
} from "@llm/core";
import { Hooks, HookTimeoutError, hooksMiddleware } from "@llm/hooks";
import { definePlugin, type PluginLogger, PluginManager } from "@llm/plugins";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runConcurrently } from "./support/run-concurrently.js";

const REQUESTS = 60;
const HOOK_TIMEOUT_MS = 100;

const ask = (n: number): ChatRequest => ({
  messages: [{ role: "user", content: `plugin isolation ${n}` }],
});

/** A healthy plugin: its middleware and hooks count what they saw. */
const counters = { middleware: 0, before: 0, after: 0 };
const healthy = definePlugin({
  name: "healthy",
  version: "1.0.0",
  apiVersion: 1,
  setup(ctx) {
    ctx.addMiddleware({
      name: "count",
      async wrapGenerate({ next }) {
        counters.middleware++;
        return next();
      },
    });
    ctx.hooks.hook("beforeRequest", () => {
      counters.before++;
    });
    ctx.hooks.hook("afterResponse", () => {
      counters.after++;
    });
  },
});

const brokenSetup = definePlugin({
  name: "broken-setup",
  version: "1.0.0",
  apiVersion: 1,
  setup() {
    throw new Error("broken-setup cannot open its database");
  },
});

/** Depends on the broken one, so it must end up disabled rather than half-working. */
const dependent = definePlugin({
  name: "needs-broken",
  version: "1.0.0",
  apiVersion: 1,
  dependencies: ["broken-setup"],
  setup(ctx) {
    ctx.hooks.hook("beforeRequest", () => {
      throw new Error("a disabled plugin's hook ran");
    });
  },
});

const throwingHook = definePlugin({
  name: "throwing-hook",
  version: "1.0.0",
  apiVersion: 1,
  setup(ctx) {
    ctx.hooks.hook("beforeRequest", () => {
      throw new Error("throwing-hook exploded");
    });
    ctx.hooks.hook("afterResponse", async () => {
      throw new Error("throwing-hook exploded after the response");
    });
  },
});

const hangingHook = definePlugin({
  name: "hanging-hook",
  version: "1.0.0",
  apiVersion: 1,
  setup(ctx) {
    ctx.hooks.hook("beforeRequest", () => new Promise<undefined>(() => undefined));
  },
});

describe("a plugin that throws in setup and plugins whose hooks throw or hang", () => {
  let mock: MockProvider;
  let plugins: PluginManager;
  let client: LLMClient;
  /** PluginManager's onError: lifecycle failures. */
  const reported: LLMError[] = [];
  /** Hooks' onHandlerError: where isolated hook failures land. */
  const hookErrors: unknown[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    mock = await startMockProvider({ provider: "openai" });
    const hooks = new Hooks();
    hooks.onHandlerError((error) => void hookErrors.push(error));
    const logger = (name: string): PluginLogger => {
      const line = (level: string) => (message: string) =>
        void logged.push(`${level} [${name}] ${message}`);
      return { debug: line("debug"), info: line("info"), warn: line("warn"), error: line("error") };
    };
    plugins = new PluginManager({
      hooks,
      registry: new ProviderRegistry(),
      hookTimeoutMs: HOOK_TIMEOUT_MS,
      logger,
      onError: (error) => void reported.push(error),
    });
    await plugins.load(
      [healthy, brokenSetup, dependent, throwingHook, hangingHook].map((plugin) => ({ plugin })),
    );
    await plugins.start();
    client = compose(
      createOpenAI({ apiKey: "sk-test-plugins", baseURL: mock.baseURL, model: "gpt-4o-mini" }),
      hooksMiddleware(hooks, { clientName: "main" }),
      ...plugins.middlewares(),
    );
  });

  afterAll(async () => {
    await plugins?.stop();
    await mock?.close();
  });

  it("reports the plugin whose setup threw as failed and its dependent as disabled", () => {
    const states = Object.fromEntries(plugins.status().map((s) => [s.name, s.state]));
    expect(states).toEqual({
      healthy: "started",
      "broken-setup": "failed",
      "needs-broken": "disabled",
      "throwing-hook": "started",
      "hanging-hook": "started",
    });
    const broken = plugins.status().find((s) => s.name === "broken-setup");
    expect(broken?.error).toContain("cannot open its database");
    expect(reported.some((e) => e.message.includes("broken-setup"))).toBe(true);
  });

  it("keeps serving every request while one hook throws and another hangs", async () => {
    const failures: unknown[] = [];
    const texts: string[] = [];
    await runConcurrently(REQUESTS, 8, async (n) => {
      try {
        texts.push((await client.generate(ask(n))).text);
      } catch (error) {
        failures.push(error);
      }
    });
    expect(failures).toEqual([]);
    expect(texts).toHaveLength(REQUESTS);
    expect(texts.every((t) => t.length > 0)).toBe(true);
    expect(counters.middleware).toBe(REQUESTS);
    expect(counters.before).toBe(REQUESTS);
    expect(counters.after).toBe(REQUESTS);
  });

  it("cuts the hanging hook at the hook timeout and reports both hook failures as typed errors", () => {
    expect(hookErrors.every((e) => isLLMError(e))).toBe(true);
    const messages = hookErrors.map((e) => (e as Error).message);
    const timeouts = hookErrors.filter((e) => e instanceof HookTimeoutError);
    expect(timeouts.length).toBe(REQUESTS);
    expect(messages.filter((m) => m.includes("hanging-hook")).length).toBe(REQUESTS);
    const thrown = messages.filter((m) => m.includes("throwing-hook"));
    expect(thrown.length).toBe(2 * REQUESTS);
    expect(logged.some((line) => line.includes("[broken-setup]"))).toBe(true);
  });
});
