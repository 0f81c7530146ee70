import { LLMError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HookError, HookTimeoutError } from "./hook-errors.js";
import type { RetryPayload } from "./hook-map.js";
import { Hooks } from "./hooks.js";

const retry: RetryPayload = {
  client: "fast",
  attempt: 1,
  error: new LLMError("upstream failed"),
  delayMs: 10,
};

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

/** Lets rejections settle and Node report the unhandled ones. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("Hooks.notify", () => {
  it("reports a rejecting handler registered with onError 'propagate' instead of leaving an unhandled rejection", async () => {
    const hooks = new Hooks();
    const reported: HookError[] = [];
    hooks.onHandlerError((error) => reported.push(error));
    hooks.hook("onRetry", async () => Promise.reject(new Error("boom")), {
      name: "strict",
      onError: "propagate",
    });
    hooks.notify("onRetry", retry);
    await settle();
    expect(unhandled).toEqual([]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ code: "HOOK", hook: "onRetry", handler: "strict" });
  });

  it("reports a synchronously throwing 'propagate' handler and still runs the ones after it", async () => {
    const hooks = new Hooks();
    const reported: string[] = [];
    const ran: string[] = [];
    hooks.onHandlerError((error) => reported.push(error.handler));
    hooks.hook(
      "onRetry",
      () => {
        throw new Error("sync boom");
      },
      { name: "first", onError: "propagate", priority: 1 },
    );
    hooks.hook("onRetry", (payload) => void ran.push(`second saw attempt ${payload.attempt}`), {
      name: "second",
    });
    hooks.notify("onRetry", retry);
    await settle();
    expect(reported).toEqual(["first"]);
    expect(ran).toEqual(["second saw attempt 1"]);
    expect(unhandled).toEqual([]);
  });

  it("reports a handler that outlives its timeout", async () => {
    const hooks = new Hooks();
    const reported: HookError[] = [];
    hooks.onHandlerError((error) => reported.push(error));
    hooks.hook("onRetry", () => new Promise<void>(() => {}), {
      name: "slow",
      timeoutMs: 5,
      onError: "propagate",
    });
    hooks.notify("onRetry", retry);
    await settle();
    expect(reported[0]).toBeInstanceOf(HookTimeoutError);
    expect(unhandled).toEqual([]);
  });

  it("does nothing when no handler is registered", () => {
    expect(new Hooks().notify("onRetry", retry)).toBeUndefined();
  });
});
