import { AbortError, onAbort, type RequestAborter } from "@llm/core";
import { PoolQueueFullError, PoolTimeoutError } from "./errors.js";
import type { WaitHistogram } from "./wait-histogram.js";

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  enqueuedAt: number;
  timer: NodeJS.Timeout | undefined;
  /** Unregisters the waiter's abort listener. */
  offAbort: (() => void) | undefined;
  /** The request's own abort handle, listened to while the waiter waits. */
  aborter: RequestAborter | undefined;
  done: boolean;
}

/**
 * Back-pressure for one origin: at most `limit` requests are handed to undici at
 * once (so undici's own queue never grows), up to `maxQueue` more wait here in
 * FIFO order, and anything beyond that is refused at once. A slot is handed
 * straight from a finishing request to the next waiter.
 */
export class OriginGate {
  inFlight = 0;
  queued = 0;
  rejectedFull = 0;
  timedOut = 0;
  readonly #queue: Waiter[] = [];
  #head = 0;
  #idle: Array<() => void> = [];

  constructor(
    readonly origin: string,
    readonly limit: number,
    readonly maxQueue: number,
    readonly queueTimeoutMs: number,
    readonly waits: WaitHistogram,
  ) {}

  /** Fast path: takes a slot synchronously when one is free and nobody is waiting. */
  tryAcquire(): boolean {
    if (this.inFlight < this.limit && this.queued === 0) {
      this.inFlight++;
      this.waits.record(0);
      return true;
    }
    return false;
  }

  /** Waits for a slot; throws `PoolQueueFullError` synchronously (as a rejection) when full. */
  enqueue(signal: AbortSignal | undefined, aborter?: RequestAborter): Promise<void> {
    if (this.queued >= this.maxQueue) {
      this.rejectedFull++;
      return Promise.reject(new PoolQueueFullError(this.origin, this.maxQueue, this.inFlight));
    }
    if (signal?.aborted || aborter?.aborted) {
      return Promise.reject(
        new AbortError(`Request to ${this.origin} was aborted before it was sent`, {
          cause: signal?.aborted ? signal.reason : aborter?.reason,
        }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        enqueuedAt: performance.now(),
        timer: undefined,
        offAbort: undefined,
        aborter,
        done: false,
      };
      if (this.queueTimeoutMs > 0 && Number.isFinite(this.queueTimeoutMs)) {
        waiter.timer = setTimeout(() => {
          this.timedOut++;
          this.#drop(waiter, new PoolTimeoutError(this.origin, this.queueTimeoutMs));
        }, this.queueTimeoutMs);
        waiter.timer.unref();
      }
      if (signal) {
        waiter.offAbort = onAbort(signal, () =>
          this.#drop(
            waiter,
            new AbortError(
              `Request to ${this.origin} was aborted while waiting in the pool queue`,
              { cause: signal.reason },
            ),
          ),
        );
      }
      // Detached in #settle, before the request moves on to its response (which listens then).
      aborter?.listen({
        abortRequest: (reason) =>
          this.#drop(
            waiter,
            new AbortError(
              `Request to ${this.origin} was aborted while waiting in the pool queue`,
              { cause: reason },
            ),
          ),
      });
      this.#queue.push(waiter);
      this.queued++;
      // enqueue() is also reached when slots are free but others wait (FIFO fairness);
      // hand a free slot over at once rather than waiting for the next release.
      if (this.inFlight < this.limit) this.#handOver();
    });
  }

  /** Called once per acquired slot when its request is finished (body consumed, cancelled or failed). */
  release = (): void => {
    this.inFlight--;
    this.#handOver();
    this.#notifyIdle();
  };

  #notifyIdle(): void {
    if (this.inFlight === 0 && this.queued === 0 && this.#idle.length > 0) {
      const idle = this.#idle;
      this.#idle = [];
      for (const fn of idle) fn();
    }
  }

  /** Resolves when nothing is in flight or waiting. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Rejects every waiter (used by `destroy()`). */
  rejectAll(error: Error): void {
    while (this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head++];
      if (waiter && !waiter.done) this.#settle(waiter, error);
    }
    this.#queue.length = 0;
    this.#head = 0;
    this.#notifyIdle();
  }

  #handOver(): void {
    while (this.inFlight < this.limit && this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head++];
      if (this.#head > 256 && this.#head * 2 > this.#queue.length) {
        this.#queue.splice(0, this.#head);
        this.#head = 0;
      }
      if (!waiter || waiter.done) continue;
      this.inFlight++;
      this.waits.record(performance.now() - waiter.enqueuedAt);
      this.#settle(waiter, undefined);
    }
  }

  #drop(waiter: Waiter, error: Error): void {
    if (waiter.done) return;
    this.#settle(waiter, error);
    this.#notifyIdle();
  }

  #settle(waiter: Waiter, error: Error | undefined): void {
    waiter.done = true;
    this.queued--;
    if (waiter.timer) clearTimeout(waiter.timer);
    waiter.offAbort?.();
    waiter.aborter?.listen(undefined);
    if (error) waiter.reject(error);
    else waiter.resolve();
  }
}
