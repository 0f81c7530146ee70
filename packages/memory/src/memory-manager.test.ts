import { ConfigError, type MemoryConsumer } from "@llm/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MemoryManager, type MemoryManagerOptions, type ShrinkEvent } from "./memory-manager.js";
import type { PressureLevel } from "./pressure.js";
import type { ProcessMemorySample } from "./process-memory.js";

const MB = 1024 * 1024;

/** A consumer that holds `held` bytes and gives back what it is asked for (or a set share). */
class FakeConsumer implements MemoryConsumer {
  held: number;
  readonly asked: number[] = [];
  constructor(
    readonly name: string,
    readonly priority: number,
    bytes: number,
    private readonly mode: "sync" | "async" | "throws" | "rejects" | "bytes-throws" = "sync",
  ) {
    this.held = bytes;
  }
  bytes(): number {
    if (this.mode === "bytes-throws") throw new Error(`${this.name} cannot count`);
    return this.held;
  }
  shrink(bytes: number): number | Promise<number> {
    this.asked.push(bytes);
    if (this.mode === "throws") throw new Error(`${this.name} shrink bug`);
    if (this.mode === "rejects") return Promise.reject(new Error(`${this.name} async shrink bug`));
    const released = Math.min(bytes, this.held);
    this.held -= released;
    return this.mode === "async" ? new Promise((r) => setImmediate(() => r(released))) : released;
  }
}

/** Process memory under the test's control: far from the heap limit unless a test says otherwise. */
function fakeProcess(heapUsed = 10 * MB, heapLimit = 4096 * MB) {
  const sample: ProcessMemorySample = {
    rss: heapUsed * 2,
    heapUsed,
    heapTotal: heapUsed,
    external: 0,
    arrayBuffers: 0,
    heapLimit,
  };
  return { sample, read: () => ({ ...sample }) };
}

const managers: MemoryManager[] = [];
function manager(options: Partial<MemoryManagerOptions> = {}, proc = fakeProcess()) {
  const m = new MemoryManager({
    budgetBytes: 100 * MB,
    sampleIntervalMs: 0,
    readMemory: proc.read,
    now: () => 42,
    ...options,
  });
  managers.push(m);
  return m;
}

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
  vi.useRealTimers();
});

describe("accounting and levels", () => {
  it("stays normal under the high watermark and touches no consumer", () => {
    const m = manager();
    const cache = new FakeConsumer("cache", 1, 50 * MB);
    m.register(cache);
    const snapshot = m.check();
    expect(snapshot).toMatchObject({
      level: "normal",
      accountedBytes: 50 * MB,
      accountedRatio: 0.5,
      budgetBytes: 100 * MB,
      at: 42,
    });
    expect(cache.asked).toEqual([]);
  });

  it("reports budget, bytes per consumer, process figures and level in stats", () => {
    const proc = fakeProcess(20 * MB, 1000 * MB);
    const m = manager({}, proc);
    m.register(new FakeConsumer("l1", 1, 30 * MB));
    m.register(new FakeConsumer("streams", 5, 10 * MB));
    const stats = m.stats();
    expect(stats).toMatchObject({
      budgetBytes: 100 * MB,
      accountedBytes: 40 * MB,
      consumers: [
        { name: "l1", priority: 1, bytes: 30 * MB },
        { name: "streams", priority: 5, bytes: 10 * MB },
      ],
      process: { heapUsed: 20 * MB, heapLimit: 1000 * MB },
      level: "normal",
      shrink: { count: 0, bytesReleased: 0, passes: 0 },
      gcRuns: 0,
      consumerErrors: 0,
    });
  });

  it("emits pressure events when the level changes, in both directions", () => {
    const m = manager({ highWatermark: 0.8, criticalWatermark: 0.9, targetRatio: 0.5 });
    const levels: PressureLevel[] = [];
    m.on("pressure", (level, snapshot) => {
      levels.push(level);
      expect(snapshot.level).toBe(level);
    });
    const pinned: MemoryConsumer = {
      name: "pinned",
      priority: 9,
      bytes: () => held,
      shrink: () => 0,
    };
    let held = 10 * MB;
    m.register(pinned);
    m.check();
    held = 85 * MB;
    m.check();
    m.check(); // same level: no second event
    held = 95 * MB;
    m.check();
    held = 10 * MB;
    m.check();
    expect(levels).toEqual(["high", "critical", "normal"]);
    expect(m.level).toBe("normal");
  });

  it("stops accounting a consumer once it unregisters", () => {
    const m = manager();
    const unregister = m.register(new FakeConsumer("cache", 1, 90 * MB));
    unregister();
    expect(m.check()).toMatchObject({ level: "normal", accountedBytes: 0 });
  });

  it("reads pressure from the process heap against its limit", () => {
    const proc = fakeProcess(960 * MB, 1000 * MB);
    const m = manager({}, proc);
    const snapshot = m.check();
    expect(snapshot.level).toBe("critical");
    expect(snapshot.processRatio).toBeCloseTo(0.96);
    expect(snapshot.accountedRatio).toBe(0);
  });

  it("treats a fraction of the heap limit as the process budget", () => {
    const proc = fakeProcess(480 * MB, 1000 * MB);
    expect(manager({}, proc).check().level).toBe("normal");
    expect(manager({ heapLimitRatio: 0.5 }, proc).check().level).toBe("critical");
  });
});

describe("shrinking under pressure", () => {
  it("shrinks the lowest priority first and the largest first within a priority, until under the target", () => {
    const m = manager({ highWatermark: 0.8, criticalWatermark: 0.95, targetRatio: 0.6 });
    const small = new FakeConsumer("small-low", 1, 10 * MB);
    const large = new FakeConsumer("large-low", 1, 30 * MB);
    const important = new FakeConsumer("important", 5, 45 * MB);
    for (const c of [important, small, large]) m.register(c);
    const events: ShrinkEvent[] = [];
    m.on("shrink", (event) => events.push(event));

    m.check(); // 85 MB of 100: high; target 60 MB → release 25 MB
    expect(events.map((e) => [e.consumer, e.requestedBytes, e.releasedBytes])).toEqual([
      ["large-low", 25 * MB, 25 * MB],
    ]);
    expect(small.asked).toEqual([]);
    expect(important.asked).toEqual([]);
    expect(m.stats()).toMatchObject({
      accountedBytes: 60 * MB,
      shrink: { count: 1, bytesReleased: 25 * MB, passes: 1, lastAt: 42 },
    });
  });

  it("moves on to the next consumer when one cannot give enough", () => {
    const m = manager({ highWatermark: 0.8, criticalWatermark: 0.95, targetRatio: 0.5 });
    const a = new FakeConsumer("a", 1, 20 * MB);
    const b = new FakeConsumer("b", 2, 70 * MB);
    m.register(a);
    m.register(b);
    m.check(); // 90 MB → target 50 MB: a gives 20, b gives 20
    expect(a.asked).toEqual([20 * MB]);
    expect(b.asked).toEqual([20 * MB]);
    expect(m.snapshot().accountedBytes).toBe(90 * MB);
    expect(m.check().accountedBytes).toBe(50 * MB);
  });

  it("shrinks by the heap excess when the process is under pressure", () => {
    const proc = fakeProcess(900 * MB, 1000 * MB);
    const m = manager(
      { budgetBytes: 1000 * MB, highWatermark: 0.85, criticalWatermark: 0.95, targetRatio: 0.8 },
      proc,
    );
    const cache = new FakeConsumer("cache", 1, 500 * MB);
    m.register(cache);
    m.check();
    expect(cache.asked).toEqual([100 * MB]);
  });

  it("awaits asynchronous shrinks in order", async () => {
    const m = manager({ highWatermark: 0.8, criticalWatermark: 0.95, targetRatio: 0.5 });
    const first = new FakeConsumer("first", 1, 30 * MB, "async");
    const second = new FakeConsumer("second", 2, 60 * MB, "async");
    m.register(second);
    m.register(first);
    m.check();
    m.check(); // a pass is running: no second pass starts
    await m.idle();
    expect(first.asked).toEqual([30 * MB]);
    expect(second.asked).toEqual([10 * MB]);
    expect(m.stats()).toMatchObject({
      accountedBytes: 50 * MB,
      shrink: { count: 2, bytesReleased: 40 * MB, passes: 1 },
    });
  });

  it("reports and skips a consumer that throws, rejects or cannot count, and never crashes", async () => {
    const m = manager({ highWatermark: 0.5, criticalWatermark: 0.95, targetRatio: 0.1 });
    const broken = new FakeConsumer("broken", 1, 20 * MB, "throws");
    const rejecting = new FakeConsumer("rejecting", 1, 19 * MB, "rejects");
    const uncountable = new FakeConsumer("uncountable", 1, 50 * MB, "bytes-throws");
    const healthy = new FakeConsumer("healthy", 2, 40 * MB);
    for (const c of [broken, rejecting, uncountable, healthy]) m.register(c);
    const errors: [string, string][] = [];
    m.on("error", (error, consumer) => errors.push([consumer, (error as Error).message]));
    m.check();
    await m.idle();
    expect(errors).toEqual(
      expect.arrayContaining([
        ["broken", "broken shrink bug"],
        ["rejecting", "rejecting async shrink bug"],
        ["uncountable", "uncountable cannot count"],
      ]),
    );
    expect(healthy.asked.length).toBe(1);
    expect(healthy.held).toBeLessThan(40 * MB);
    expect(m.stats().consumerErrors).toBeGreaterThanOrEqual(3);
  });

  it("survives listeners that throw", () => {
    const m = manager({ highWatermark: 0.5, criticalWatermark: 0.9, targetRatio: 0.1 });
    m.on("pressure", () => {
      throw new Error("listener bug");
    });
    m.on("shrink", () => {
      throw new Error("listener bug");
    });
    const cache = new FakeConsumer("cache", 1, 60 * MB);
    m.register(cache);
    expect(m.check().level).toBe("high");
    expect(cache.held).toBe(10 * MB);
  });

  it("counts a consumer reporting nonsense as zero bytes", () => {
    const m = manager();
    m.register({ name: "nan", priority: 1, bytes: () => Number.NaN, shrink: () => 0 });
    m.register({ name: "negative", priority: 1, bytes: () => -5, shrink: () => 0 });
    expect(m.check().accountedBytes).toBe(0);
  });

  it("removes a listener through the returned disposer", () => {
    const m = manager({ highWatermark: 0.5, criticalWatermark: 0.9, targetRatio: 0.1 });
    const seen: PressureLevel[] = [];
    const off = m.on("pressure", (level) => seen.push(level));
    expect(m.listenerCount("pressure")).toBe(1);
    off();
    m.register(new FakeConsumer("c", 1, 60 * MB));
    m.check();
    expect(seen).toEqual([]);
  });
});

describe("garbage collection as the last resort", () => {
  const original = (globalThis as { gc?: () => void }).gc;
  afterEach(() => {
    (globalThis as { gc?: () => void }).gc = original;
  });

  it("calls global.gc at critical only after the consumers had their turn and pressure remains", () => {
    const order: string[] = [];
    (globalThis as { gc?: () => void }).gc = () => order.push("gc");
    const proc = fakeProcess(990 * MB, 1000 * MB); // the heap stays critical whatever consumers release
    const m = manager({}, proc);
    m.register({
      name: "cache",
      priority: 1,
      bytes: () => 10 * MB,
      shrink: (n) => {
        order.push("shrink");
        return n;
      },
    });
    m.check();
    expect(order).toEqual(["shrink", "gc"]);
    expect(m.stats().gcRuns).toBe(1);
  });

  it("does not call gc when shrinking relieved the pressure", () => {
    const gc = vi.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    const m = manager();
    m.register(new FakeConsumer("cache", 1, 99 * MB));
    m.check();
    expect(gc).not.toHaveBeenCalled();
  });

  it("never calls gc at the high level or with gc: never", () => {
    const gc = vi.fn();
    (globalThis as { gc?: () => void }).gc = gc;
    manager({}, fakeProcess(900 * MB, 1000 * MB)).check();
    manager({ gc: "never" }, fakeProcess(990 * MB, 1000 * MB)).check();
    expect(gc).not.toHaveBeenCalled();
  });

  it("carries on when gc is not exposed", () => {
    (globalThis as { gc?: () => void }).gc = undefined;
    const m = manager({}, fakeProcess(990 * MB, 1000 * MB));
    expect(m.check().level).toBe("critical");
    expect(m.stats().gcRuns).toBe(0);
  });
});

describe("lifecycle", () => {
  it("samples on its timer and stops when closed", async () => {
    vi.useFakeTimers();
    const proc = fakeProcess();
    const m = new MemoryManager({
      budgetBytes: 100 * MB,
      sampleIntervalMs: 1_000,
      readMemory: proc.read,
    });
    const levels: PressureLevel[] = [];
    m.on("pressure", (level) => levels.push(level));
    proc.sample.heapUsed = 4000 * MB;
    vi.advanceTimersByTime(1_000);
    expect(levels).toEqual(["critical"]);
    await m.close();
    proc.sample.heapUsed = 1 * MB;
    vi.advanceTimersByTime(5_000);
    expect(levels).toEqual(["critical"]);
  });

  it("rejects impossible options with a ConfigError listing each", () => {
    let error: ConfigError | undefined;
    try {
      new MemoryManager({
        budgetBytes: 0,
        highWatermark: 0.99,
        criticalWatermark: 1.5,
        targetRatio: 2,
        heapLimitRatio: 0,
      });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues.map((i) => i.path)).toEqual([
      "budgetBytes",
      "criticalWatermark",
      "targetRatio",
      "heapLimitRatio",
    ]);
    expect(
      () => new MemoryManager({ budgetBytes: 1, highWatermark: 0.9, criticalWatermark: 0.8 }),
    ).toThrowError(/highWatermark/);
  });

  it("measures the real process", async () => {
    const m = new MemoryManager({ budgetBytes: 64 * MB });
    const hold = new Uint8Array(8 * MB).fill(1);
    m.register({ name: "buffer", priority: 1, bytes: () => hold.byteLength, shrink: () => 0 });
    const snapshot = m.check();
    expect(snapshot.process.heapUsed).toBeGreaterThan(0);
    expect(snapshot.process.heapLimit).toBeGreaterThan(snapshot.process.heapUsed);
    expect(snapshot.process.rss).toBeGreaterThan(0);
    expect(snapshot.process.arrayBuffers).toBeGreaterThanOrEqual(hold.byteLength);
    expect(snapshot.accountedBytes).toBe(8 * MB);
    expect(snapshot.level).toBe("normal");
    await m.close();
  });
});
