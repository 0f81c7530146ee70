import { ConfigError, type MemoryBudget, type MemoryConsumer } from "@llm/core";
import { isAtLeast, levelFor, type PressureLevel } from "./pressure.js";
import {
  type ProcessMemoryReader,
  type ProcessMemorySample,
  readProcessMemory,
} from "./process-memory.js";
import { TypedEmitter } from "./typed-emitter.js";

export interface MemoryManagerOptions {
  /** Bytes the registered consumers may hold together. */
  budgetBytes: number;
  /** Fraction of the budget (or of the heap limit) where shrinking starts. Default 0.85. */
  highWatermark?: number;
  /** Fraction where shrinking is urgent and GC becomes the last resort. Default 0.95. */
  criticalWatermark?: number;
  /** Shrinking stops once usage is below this fraction. Default `highWatermark - 0.1`. */
  targetRatio?: number;
  /** Sampling period of the unref'd timer; 0 turns the timer off (call `check()`). Default 1000. */
  sampleIntervalMs?: number;
  /**
   * Fraction of V8's heap limit treated as the process's own budget: with 0.7,
   * a heap at 70% of the limit counts as 100% full. Default 1.
   */
  heapLimitRatio?: number;
  /** `"auto"`: call `global.gc` (when exposed by `--expose-gc`) as the last resort at critical. */
  gc?: "auto" | "never";
  /** Clock for event timestamps. */
  now?: () => number;
  /** Reads process memory; inject one to simulate pressure. */
  readMemory?: ProcessMemoryReader;
}

export interface ConsumerStats {
  name: string;
  priority: number;
  bytes: number;
}

export interface MemorySnapshot {
  at: number;
  level: PressureLevel;
  /** The larger of the two ratios: it decides the level. */
  ratio: number;
  budgetBytes: number;
  accountedBytes: number;
  accountedRatio: number;
  process: ProcessMemorySample;
  processRatio: number;
}

export interface ShrinkEvent {
  at: number;
  consumer: string;
  priority: number;
  requestedBytes: number;
  releasedBytes: number;
  level: PressureLevel;
}

export interface ShrinkReport {
  level: PressureLevel;
  requestedBytes: number;
  releasedBytes: number;
  shrinks: ShrinkEvent[];
  gcRan: boolean;
}

export interface MemoryStats {
  budgetBytes: number;
  accountedBytes: number;
  consumers: ConsumerStats[];
  process: ProcessMemorySample;
  level: PressureLevel;
  ratio: number;
  shrink: { count: number; bytesReleased: number; passes: number; lastAt?: number };
  gcRuns: number;
  consumerErrors: number;
}

export interface MemoryManagerEvents {
  /** The level changed (in either direction). */
  pressure: [level: PressureLevel, snapshot: MemorySnapshot];
  /** A consumer gave memory back. */
  shrink: [event: ShrinkEvent];
  /** A consumer threw from `bytes()` or `shrink()`; it was skipped. */
  error: [error: unknown, consumer: string];
}

/**
 * A memory budget that caches and buffers obey. Pressure is the larger of
 * (bytes the consumers report / budget) and (V8 heap used / heap limit); above
 * the high watermark consumers are asked to shrink — lowest priority first,
 * largest first within a priority — until usage is back under the target.
 */
export class MemoryManager extends TypedEmitter<MemoryManagerEvents> implements MemoryBudget {
  readonly budgetBytes: number;
  readonly highWatermark: number;
  readonly criticalWatermark: number;
  readonly targetRatio: number;
  readonly heapLimitRatio: number;
  readonly #gc: "auto" | "never";
  readonly #now: () => number;
  readonly #readMemory: ProcessMemoryReader;
  readonly #consumers = new Set<MemoryConsumer>();
  #timer: NodeJS.Timeout | undefined;
  #level: PressureLevel = "normal";
  #last: MemorySnapshot | undefined;
  #relieving: Promise<ShrinkReport> | undefined;
  #shrinkCount = 0;
  #bytesReleased = 0;
  #passes = 0;
  #lastShrinkAt: number | undefined;
  #gcRuns = 0;
  #consumerErrors = 0;

  constructor(options: MemoryManagerOptions) {
    super();
    this.budgetBytes = options.budgetBytes;
    this.highWatermark = options.highWatermark ?? 0.85;
    this.criticalWatermark = options.criticalWatermark ?? 0.95;
    this.targetRatio = options.targetRatio ?? Math.max(0, this.highWatermark - 0.1);
    this.heapLimitRatio = options.heapLimitRatio ?? 1;
    this.#gc = options.gc ?? "auto";
    this.#now = options.now ?? Date.now;
    this.#readMemory = options.readMemory ?? readProcessMemory;
    validate(this);
    const interval = options.sampleIntervalMs ?? 1_000;
    if (interval > 0) {
      this.#timer = setInterval(() => this.check(), interval);
      // The sampler must never keep a process alive on its own.
      this.#timer.unref();
    }
  }

  /** Adds a consumer; the returned function removes it. */
  register(consumer: MemoryConsumer): () => void {
    this.#consumers.add(consumer);
    return () => {
      this.#consumers.delete(consumer);
    };
  }

  get level(): PressureLevel {
    return this.#level;
  }

  /**
   * Takes one sample now (synchronously), emits `pressure` if the level
   * changed, and under pressure starts a shrink pass. Synchronous shrinks are
   * done when `check()` returns; await `idle()` for asynchronous ones.
   */
  check(): MemorySnapshot {
    const snapshot = this.#sample();
    if (snapshot.level !== this.#level) {
      this.#level = snapshot.level;
      this.emit("pressure", snapshot.level, snapshot);
    }
    if (isAtLeast(snapshot.level, "high") && !this.#relieving) {
      const pass = this.#relieve(snapshot);
      if (pass instanceof Promise) {
        this.#relieving = pass.finally(() => {
          this.#relieving = undefined;
        });
      }
    }
    return snapshot;
  }

  /** Resolves when no shrink pass is running. */
  async idle(): Promise<void> {
    while (this.#relieving) await this.#relieving;
  }

  /** The last sample (taking one if none was taken yet). */
  snapshot(): MemorySnapshot {
    return this.#last ?? this.#sample();
  }

  stats(): MemoryStats {
    const consumers = this.#consumerStats();
    const snapshot = this.#last ?? this.#sample(consumers);
    return {
      budgetBytes: this.budgetBytes,
      accountedBytes: consumers.reduce((sum, c) => sum + c.bytes, 0),
      consumers,
      process: snapshot.process,
      level: this.#level,
      ratio: snapshot.ratio,
      shrink: {
        count: this.#shrinkCount,
        bytesReleased: this.#bytesReleased,
        passes: this.#passes,
        ...(this.#lastShrinkAt !== undefined ? { lastAt: this.#lastShrinkAt } : {}),
      },
      gcRuns: this.#gcRuns,
      consumerErrors: this.#consumerErrors,
    };
  }

  /** Stops the sampler; waits for a running shrink pass. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.idle();
  }

  #consumerStats(): ConsumerStats[] {
    const out: ConsumerStats[] = [];
    for (const consumer of this.#consumers) {
      out.push({
        name: consumer.name,
        priority: consumer.priority,
        bytes: this.#bytesOf(consumer),
      });
    }
    return out;
  }

  #bytesOf(consumer: MemoryConsumer): number {
    try {
      const bytes = consumer.bytes();
      return Number.isFinite(bytes) && bytes > 0 ? bytes : 0;
    } catch (error) {
      this.#consumerFailed(error, consumer);
      return 0;
    }
  }

  #sample(consumers = this.#consumerStats()): MemorySnapshot {
    const accountedBytes = consumers.reduce((sum, c) => sum + c.bytes, 0);
    const process = this.#readMemory();
    const accountedRatio = accountedBytes / this.budgetBytes;
    const heapBudget = process.heapLimit * this.heapLimitRatio;
    const processRatio = heapBudget > 0 ? process.heapUsed / heapBudget : 0;
    const ratio = Math.max(accountedRatio, processRatio);
    const snapshot: MemorySnapshot = {
      at: this.#now(),
      level: levelFor(ratio, this.highWatermark, this.criticalWatermark),
      ratio,
      budgetBytes: this.budgetBytes,
      accountedBytes,
      accountedRatio,
      process,
      processRatio,
    };
    this.#last = snapshot;
    return snapshot;
  }

  /** Bytes to give back to reach the target on whichever measure is worse. */
  #excess(snapshot: MemorySnapshot): number {
    const fromBudget = snapshot.accountedBytes - this.targetRatio * this.budgetBytes;
    const heapBudget = snapshot.process.heapLimit * this.heapLimitRatio;
    const fromHeap = snapshot.process.heapUsed - this.targetRatio * heapBudget;
    return Math.max(0, Math.ceil(Math.max(fromBudget, fromHeap)));
  }

  /**
   * One shrink pass. Runs synchronously while consumers answer synchronously,
   * and turns into a promise at the first consumer that answers with one.
   */
  #relieve(snapshot: MemorySnapshot): ShrinkReport | Promise<ShrinkReport> {
    this.#passes++;
    const requested = this.#excess(snapshot);
    const report: ShrinkReport = {
      level: snapshot.level,
      requestedBytes: requested,
      releasedBytes: 0,
      shrinks: [],
      gcRan: false,
    };
    const queue = [...this.#consumers]
      .map((consumer) => ({
        consumer,
        stats: { priority: consumer.priority, bytes: this.#bytesOf(consumer) },
      }))
      .filter((entry) => entry.stats.bytes > 0)
      .sort((a, b) => a.stats.priority - b.stats.priority || b.stats.bytes - a.stats.bytes);

    const step = (index: number): ShrinkReport | Promise<ShrinkReport> => {
      for (let i = index; i < queue.length; i++) {
        const remaining = requested - report.releasedBytes;
        if (remaining <= 0) break;
        const { consumer, stats } = queue[i] as (typeof queue)[number];
        const ask = Math.min(remaining, stats.bytes);
        let answer: number | Promise<number>;
        try {
          answer = consumer.shrink(ask);
        } catch (error) {
          this.#consumerFailed(error, consumer);
          continue;
        }
        if (answer instanceof Promise) {
          return answer.then(
            (released) => {
              this.#recordShrink(report, consumer, ask, released);
              return step(i + 1);
            },
            (error: unknown) => {
              this.#consumerFailed(error, consumer);
              return step(i + 1);
            },
          );
        }
        this.#recordShrink(report, consumer, ask, answer);
      }
      return this.#lastResort(report);
    };
    return step(0);
  }

  #recordShrink(
    report: ShrinkReport,
    consumer: MemoryConsumer,
    requested: number,
    released: number,
  ): void {
    const bytes = Number.isFinite(released) && released > 0 ? released : 0;
    const event: ShrinkEvent = {
      at: this.#now(),
      consumer: consumer.name,
      priority: consumer.priority,
      requestedBytes: requested,
      releasedBytes: bytes,
      level: report.level,
    };
    report.releasedBytes += bytes;
    report.shrinks.push(event);
    this.#shrinkCount++;
    this.#bytesReleased += bytes;
    this.#lastShrinkAt = event.at;
    // Listeners observe; one that throws is not the consumer's fault and changes nothing.
    this.emit("shrink", event);
  }

  /** Only at critical, only after consumers had their turn, only if `--expose-gc`. */
  #lastResort(report: ShrinkReport): ShrinkReport {
    if (report.level !== "critical" || this.#gc === "never") return report;
    const after = this.#sample();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (after.level === "critical" && typeof gc === "function") {
      gc();
      this.#gcRuns++;
      report.gcRan = true;
    }
    return report;
  }

  #consumerFailed(error: unknown, consumer: MemoryConsumer): void {
    this.#consumerErrors++;
    this.emit("error", error, consumer.name);
  }
}

function validate(manager: MemoryManager): void {
  const issues: { path: string; message: string }[] = [];
  if (!(Number.isFinite(manager.budgetBytes) && manager.budgetBytes > 0)) {
    issues.push({ path: "budgetBytes", message: "must be a positive number of bytes" });
  }
  if (!(manager.highWatermark > 0 && manager.highWatermark < manager.criticalWatermark)) {
    issues.push({ path: "highWatermark", message: "must be above 0 and below criticalWatermark" });
  }
  if (!(manager.criticalWatermark > 0 && manager.criticalWatermark <= 1)) {
    issues.push({ path: "criticalWatermark", message: "must be above 0 and at most 1" });
  }
  if (!(manager.targetRatio >= 0 && manager.targetRatio < manager.highWatermark)) {
    issues.push({ path: "targetRatio", message: "must be at least 0 and below highWatermark" });
  }
  if (!(manager.heapLimitRatio > 0 && manager.heapLimitRatio <= 1)) {
    issues.push({ path: "heapLimitRatio", message: "must be above 0 and at most 1" });
  }
  if (issues.length > 0) throw new ConfigError("Invalid MemoryManager options", { issues });
}
