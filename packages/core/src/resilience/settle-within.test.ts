import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortError, RateLimitError, TimeoutError } from "../errors/index.js";
import { settleWithin } from "./settle-within.js";

/** A promise settled from outside, as a slow piece of work. */
function pending<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Every unhandled rejection while `run` and the macrotasks after it ran. */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await run();
    // Unhandled rejections are reported after the microtask queue drains.
    await new Promise((done) => setImmediate(done));
    await new Promise((done) => setImmediate(done));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("settleWithin", () => {
  it("is work itself when neither a timer nor a signal bounds it", async () => {
    const work = Promise.resolve(7);
    expect(settleWithin(work, {})).toBe(work);
    await expect(settleWithin(work, { timeoutMs: 0 })).resolves.toBe(7);
  });

  it("starts no timer for a timeout that is undefined, zero, negative or infinite", async () => {
    vi.useFakeTimers();
    const signal = new AbortController().signal;
    for (const timeoutMs of [undefined, 0, -5, Number.POSITIVE_INFINITY, Number.NaN]) {
      const work = pending<string>();
      const waiting = settleWithin(work.promise, { timeoutMs, signal });
      expect(vi.getTimerCount()).toBe(0);
      work.resolve("done");
      await expect(waiting).resolves.toBe("done");
    }
  });

  it("resolves with work when it wins, clearing the timer and the abort listener", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const onAbort = vi.fn(() => "aborted");
    const onTimeout = vi.fn(() => "timed out");
    const work = pending<string>();
    const waiting = settleWithin(work.promise, {
      timeoutMs: 1_000,
      onTimeout,
      signal: controller.signal,
      onAbort,
    });
    expect(vi.getTimerCount()).toBe(1);
    work.resolve("answer");
    await expect(waiting).resolves.toBe("answer");
    expect(vi.getTimerCount()).toBe(0);
    controller.abort();
    vi.advanceTimersByTime(2_000);
    expect(onAbort).not.toHaveBeenCalled();
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it("rejects with work's error when it fails first, clearing the timer", async () => {
    vi.useFakeTimers();
    const failure = new Error("upstream broke");
    const work = pending<string>();
    const waiting = settleWithin(work.promise, { timeoutMs: 1_000 });
    work.reject(failure);
    await expect(waiting).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with a TimeoutError by default when the timer wins", async () => {
    vi.useFakeTimers();
    const waiting = settleWithin(pending<string>().promise, { timeoutMs: 250 });
    vi.advanceTimersByTime(250);
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ phase: "total", timeoutMs: 250 });
  });

  it("settles as onTimeout does: with what it returns, or what it throws", async () => {
    vi.useFakeTimers();
    const returned = settleWithin(pending<string>().promise, {
      timeoutMs: 10,
      onTimeout: () => false as const,
    });
    const thrown = settleWithin(pending<string>().promise, {
      timeoutMs: 10,
      onTimeout: () => {
        throw new RangeError("too slow");
      },
    });
    vi.advanceTimersByTime(10);
    await expect(returned).resolves.toBe(false);
    await expect(thrown).rejects.toThrow(new RangeError("too slow"));
  });

  it("rejects with AbortError when the signal aborts first, and stops the timer", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    const onTimeout = vi.fn(() => "timed out");
    const waiting = settleWithin(pending<string>().promise, {
      timeoutMs: 1_000,
      onTimeout,
      signal: controller.signal,
    });
    const reason = new Error("caller left");
    controller.abort(reason);
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it("rejects with the abort reason itself when that is an LLMError", async () => {
    const controller = new AbortController();
    const waiting = settleWithin(pending<string>().promise, { signal: controller.signal });
    const reason = new TimeoutError("first-byte", 5);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });

  it("settles as onAbort does, which receives the signal", async () => {
    const controller = new AbortController();
    const onAbort = vi.fn((signal: AbortSignal) => `stopped: ${String(signal.reason)}`);
    const waiting = settleWithin(pending<string>().promise, { signal: controller.signal, onAbort });
    controller.abort("shutdown");
    await expect(waiting).resolves.toBe("stopped: shutdown");
    expect(onAbort).toHaveBeenCalledWith(controller.signal);
  });

  it("rejects at once for a signal aborted already, starting no timer", async () => {
    vi.useFakeTimers();
    const reason = new RateLimitError("slow down");
    const work = pending<string>();
    const waiting = settleWithin(work.promise, {
      timeoutMs: 1_000,
      signal: AbortSignal.abort(reason),
    });
    expect(vi.getTimerCount()).toBe(0);
    work.resolve("too late");
    await expect(waiting).rejects.toBe(reason);
  });

  it("observes work that rejects after the signal aborted already: no unhandled rejection", async () => {
    const seen = await unhandledDuring(async () => {
      const work = pending<string>();
      const waiting = settleWithin(work.promise, { signal: AbortSignal.abort() });
      await expect(waiting).rejects.toBeInstanceOf(AbortError);
      work.reject(new Error("failed after the wait was given up"));
    });
    expect(seen).toEqual([]);
  });

  it("observes work that rejects after the timer won: no unhandled rejection", async () => {
    const seen = await unhandledDuring(async () => {
      const work = pending<string>();
      const waiting = settleWithin(work.promise, { timeoutMs: 1, onTimeout: () => "gave up" });
      await expect(waiting).resolves.toBe("gave up");
      work.reject(new Error("failed after the wait was given up"));
    });
    expect(seen).toEqual([]);
  });

  it("keeps the process alive on its timer unless told to unref it", async () => {
    const timers: ReturnType<typeof setTimeout>[] = [];
    const original = globalThis.setTimeout;
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((callback: () => void, ms?: number) => {
      const timer = original(callback, ms);
      timers.push(timer);
      return timer;
    }) as typeof setTimeout);
    const work = pending<string>();
    const held = settleWithin(work.promise, { timeoutMs: 60_000 });
    const unrefd = settleWithin(work.promise, { timeoutMs: 60_000, unref: true });
    expect(timers.map((timer) => timer.hasRef())).toEqual([true, false]);
    work.resolve("done");
    await expect(Promise.all([held, unrefd])).resolves.toEqual(["done", "done"]);
  });

  it("accepts any thenable as work", async () => {
    const thenable: PromiseLike<number> = {
      // biome-ignore lint/suspicious/noThenProperty: a bare thenable is the point of this test
      then: (onFulfilled, onRejected) => Promise.resolve(3).then(onFulfilled, onRejected),
    };
    await expect(settleWithin(thenable, { timeoutMs: 1_000 })).resolves.toBe(3);
  });
});
