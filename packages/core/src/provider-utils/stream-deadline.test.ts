import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TimeoutError } from "../errors/errors.js";
import { StreamDeadline } from "./stream-deadline.js";

describe("StreamDeadline", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const watch = (totalMs: number | undefined, idleMs: number) => {
    const fired: TimeoutError[] = [];
    const deadline = new StreamDeadline(totalMs, idleMs, { abort: (error) => fired.push(error) });
    return { deadline, fired };
  };

  it("fires the total deadline once, even while frames keep arriving", () => {
    const { deadline, fired } = watch(1_000, 300);
    deadline.startIdle();
    for (let t = 0; t < 1_200; t += 100) {
      vi.advanceTimersByTime(100);
      deadline.touch();
    }
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeInstanceOf(TimeoutError);
    expect(fired[0]).toMatchObject({ phase: "total", timeoutMs: 1_000 });
  });

  it("fires the idle limit when no frame came for idleMs, counted from startIdle()", () => {
    const { deadline, fired } = watch(10_000, 300);
    vi.advanceTimersByTime(250); // waiting for headers: the idle limit has not begun
    deadline.startIdle();
    vi.advanceTimersByTime(200);
    deadline.touch();
    vi.advanceTimersByTime(299);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ phase: "idle", timeoutMs: 300 });
  });

  it("does not count the wait for headers as idle time, however long", () => {
    const { deadline, fired } = watch(undefined, 300);
    vi.advanceTimersByTime(5_000);
    expect(fired).toEqual([]);
    deadline.startIdle();
    vi.advanceTimersByTime(300);
    expect(fired).toMatchObject([{ phase: "idle" }]);
  });

  it("has no timer without limits, and none after stop()", () => {
    expect(vi.getTimerCount()).toBe(0);
    const none = watch(undefined, 0);
    expect(vi.getTimerCount()).toBe(0);
    none.deadline.startIdle();
    none.deadline.touch();
    none.deadline.stop();
    const total = watch(100, 0);
    total.deadline.stop();
    vi.advanceTimersByTime(1_000);
    expect(total.fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("treats a total deadline of 0 as due at once, as a 0 timeoutMs", () => {
    const { fired } = watch(0, 300);
    vi.advanceTimersByTime(1);
    expect(fired).toMatchObject([{ phase: "total", timeoutMs: 0 }]);
  });
});
