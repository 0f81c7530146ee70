import type { ChatRequest } from "@llm/core";
import { describe, expect, it } from "vitest";
import { HookError, HookOrderError, HookTimeoutError } from "./hook-errors.js";
import type { BeforeRequestPayload, CallInfo } from "./hook-map.js";
import { Hooks } from "./hooks.js";

declare module "./hook-map.js" {
  interface HookMap {
    testNumber: (value: number) => number | undefined;
    testBail: (value: string) => string | undefined | Promise<string | undefined>;
  }
}

const call: CallInfo = {
  id: "c1",
  provider: "test",
  mode: "generate",
  startedAt: 0,
  state: new Map(),
};
const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };
const payload = (): BeforeRequestPayload => ({ call, request, options: {} });

describe("Hooks ordering", () => {
  it("runs higher priority first and keeps registration order for equal priorities", () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.hook("onCacheMiss", () => void seen.push("a"), { name: "a" });
    hooks.hook("onCacheMiss", () => void seen.push("b"), { name: "b", priority: 10 });
    hooks.hook("onCacheMiss", () => void seen.push("c"), { name: "c" });
    hooks.callHook("onCacheMiss", { key: "k" });
    expect(seen).toEqual(["b", "a", "c"]);
    expect(hooks.handlers("onCacheMiss").map((h) => h.name)).toEqual(["b", "a", "c"]);
  });

  it("lets before/after constraints override priorities", () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.hook("onCacheMiss", () => void seen.push("audit"), {
      name: "audit",
      priority: 100,
      after: ["redact"],
    });
    hooks.hook("onCacheMiss", () => void seen.push("redact"), { name: "redact", priority: -5 });
    hooks.hook("onCacheMiss", () => void seen.push("metrics"), {
      name: "metrics",
      before: ["redact"],
    });
    hooks.callHook("onCacheMiss", { key: "k" });
    expect(seen).toEqual(["metrics", "redact", "audit"]);
  });

  it("ignores constraints naming handlers that are not registered", () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.hook("onCacheMiss", () => void seen.push("x"), { name: "x", after: ["absent"] });
    hooks.hook("onCacheMiss", () => void seen.push("y"), {
      name: "y",
      before: ["absent"],
      priority: 1,
    });
    hooks.callHook("onCacheMiss", { key: "k" });
    expect(seen).toEqual(["y", "x"]);
  });

  it("rejects a registration that creates a cycle and keeps the previous handlers", () => {
    const hooks = new Hooks();
    hooks.hook("onCacheMiss", () => {}, { name: "a", before: ["b"] });
    const register = () => hooks.hook("onCacheMiss", () => {}, { name: "b", before: ["a"] });
    expect(register).toThrow(HookOrderError);
    expect(register).toThrow(/"a", "b"|"b", "a"/);
    expect(hooks.handlers("onCacheMiss").map((h) => h.name)).toEqual(["a"]);
  });
});

describe("Hooks dispatch modes", () => {
  it("returns the payload synchronously when no handler is registered", () => {
    const hooks = new Hooks();
    const p = payload();
    expect(hooks.callHook("beforeRequest", p)).toBe(p);
    expect(hooks.callHookParallel("afterResponse", {} as never)).toBeUndefined();
    expect(hooks.callHookBail("testBail", "x")).toBeUndefined();
    expect(hooks.has("beforeRequest")).toBe(false);
  });

  it("does not mistake an Object.prototype name for a registered hook point", () => {
    const hooks = new Hooks();
    const name = "toString" as "testNumber";
    expect(hooks.has(name)).toBe(false);
    expect(hooks.callHook(name, 5)).toBe(5);
    expect(hooks.handlers(name)).toEqual([]);
  });

  it("feeds each series result to the next handler (waterfall)", async () => {
    const hooks = new Hooks();
    hooks.hook("beforeRequest", ({ request: r }) => ({ ...r, temperature: 0 }));
    hooks.hook("beforeRequest", async ({ request: r }) => ({
      ...r,
      maxTokens: (r.temperature ?? 9) + 5,
    }));
    hooks.hook("beforeRequest", () => undefined);
    const out = await hooks.callHook("beforeRequest", payload());
    expect(out.request).toEqual({ ...request, temperature: 0, maxTokens: 5 });
  });

  it("stays synchronous through a chain of sync handlers", () => {
    const hooks = new Hooks();
    hooks.hook("testNumber", (n) => n + 1);
    hooks.hook("testNumber", (n) => n * 10);
    expect(hooks.callHook("testNumber", 1)).toBe(20);
  });

  it("hands every onCacheCorrupt handler the same key, level and reason", async () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.hook(
      "onCacheCorrupt",
      ({ key, level, reason }) => void seen.push(`${key} ${level} ${reason}`),
    );
    hooks.hook("onCacheCorrupt", ({ reason }) => void seen.push(reason));
    const payload = { key: "k", level: "l2", reason: "response.usage: expected object, got null" };
    expect(await hooks.callHook("onCacheCorrupt", payload)).toEqual(payload);
    expect(seen).toEqual([
      "k l2 response.usage: expected object, got null",
      "response.usage: expected object, got null",
    ]);
  });

  it("runs parallel handlers concurrently and waits for all", async () => {
    const hooks = new Hooks();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    hooks.hook("onCacheHit", async () => {
      await gate;
      order.push("slow");
    });
    hooks.hook("onCacheHit", () => {
      order.push("fast");
      release();
    });
    await hooks.callHookParallel("onCacheHit", { key: "k", level: "l1", ageMs: 0 });
    expect(order).toEqual(["fast", "slow"]);
  });

  it("returns the first non-undefined result in bail mode and skips the rest", async () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    hooks.hook("testBail", () => void seen.push("first"));
    hooks.hook("testBail", async (v) => {
      seen.push("second");
      return `${v}!`;
    });
    hooks.hook("testBail", () => {
      seen.push("third");
      return "never";
    });
    expect(await hooks.callHookBail("testBail", "win")).toBe("win!");
    expect(seen).toEqual(["first", "second"]);
  });

  it("bails synchronously on a sync result", () => {
    const hooks = new Hooks();
    hooks.hook("testBail", () => undefined);
    hooks.hook("testBail", (v) => v.toUpperCase());
    expect(hooks.callHookBail("testBail", "abc")).toBe("ABC");
  });

  it("bails with undefined when every handler passes", async () => {
    const hooks = new Hooks();
    hooks.hook("testBail", async () => undefined);
    expect(await hooks.callHookBail("testBail", "abc")).toBeUndefined();
  });
});

describe("Hooks isolation, timeouts and disposers", () => {
  it("isolates a throwing handler by default, reports it, and runs the rest", async () => {
    const hooks = new Hooks();
    const reported: HookError[] = [];
    hooks.onHandlerError((e) => reported.push(e));
    hooks.hook(
      "testNumber",
      () => {
        throw new Error("boom");
      },
      { name: "bad" },
    );
    hooks.hook("testNumber", (n) => n + 1, { name: "good" });
    expect(hooks.callHook("testNumber", 1)).toBe(2);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(HookError);
    expect(reported[0]!.hook).toBe("testNumber");
    expect(reported[0]!.handler).toBe("bad");
    expect(reported[0]!.message).toMatch(/boom/);
  });

  it("propagates the error of a handler whose policy says so", async () => {
    const hooks = new Hooks();
    hooks.hook(
      "testBail",
      async () => {
        throw new Error("nope");
      },
      { name: "strict", onError: "propagate" },
    );
    await expect(hooks.callHookBail("testBail", "x")).rejects.toThrow(/"strict" failed: nope/);
    const sync = new Hooks({ defaultErrorPolicy: "propagate" });
    sync.hook("testNumber", () => {
      throw new Error("sync");
    });
    expect(() => sync.callHook("testNumber", 1)).toThrow(HookError);
  });

  it("times out a hanging async handler and carries on", async () => {
    const hooks = new Hooks({ defaultTimeoutMs: 20 });
    const reported: HookError[] = [];
    hooks.onHandlerError((e) => reported.push(e));
    hooks.hook("testBail", () => new Promise<string>(() => {}), { name: "hang" });
    hooks.hook("testBail", () => "after");
    expect(await hooks.callHookBail("testBail", "x")).toBe("after");
    expect(reported[0]).toBeInstanceOf(HookTimeoutError);
    expect((reported[0] as HookTimeoutError).timeoutMs).toBe(20);
  });

  it("keeps going when an error listener itself throws", () => {
    const hooks = new Hooks();
    hooks.onHandlerError(() => {
      throw new Error("listener");
    });
    hooks.hook("testNumber", () => {
      throw new Error("handler");
    });
    expect(hooks.callHook("testNumber", 3)).toBe(3);
  });

  it("removes a handler through its disposer, once", () => {
    const hooks = new Hooks();
    const dispose = hooks.hook("testNumber", (n) => n + 1);
    const keep = hooks.hook("testNumber", (n) => n * 2);
    dispose();
    dispose();
    expect(hooks.callHook("testNumber", 2)).toBe(4);
    keep();
    expect(hooks.has("testNumber")).toBe(false);
  });

  it("runs a hookOnce handler a single time", () => {
    const hooks = new Hooks();
    hooks.hookOnce("testNumber", (n) => n + 100);
    expect(hooks.callHook("testNumber", 1)).toBe(101);
    expect(hooks.callHook("testNumber", 1)).toBe(1);
  });

  it("removes every handler of one point or of all points", () => {
    const hooks = new Hooks();
    const offListener = hooks.onHandlerError(() => {});
    offListener();
    hooks.hook("testNumber", (n) => n);
    hooks.hook("onCacheMiss", () => {});
    hooks.removeAll("testNumber");
    expect(hooks.has("testNumber")).toBe(false);
    expect(hooks.has("onCacheMiss")).toBe(true);
    hooks.removeAll();
    expect(hooks.has("onCacheMiss")).toBe(false);
  });
});
