import { LLMError, type LLMErrorOptions, TimeoutError } from "@llm/core";

/**
 * The origin's queue already holds `maxQueue` waiting requests. Retryable: the
 * condition is transient load, and the retry middleware backs off with jitter
 * (a fallback client may also take the call elsewhere). An immediate tight-loop
 * retry only adds load, which is why the error says how full the origin was.
 */
export class PoolQueueFullError extends LLMError {
  override readonly code = "POOL_QUEUE_FULL";
  readonly origin: string;
  readonly maxQueue: number;
  readonly inFlight: number;
  constructor(origin: string, maxQueue: number, inFlight: number, options: LLMErrorOptions = {}) {
    super(
      `Connection pool queue for ${origin} is full (${inFlight} in flight, ${maxQueue} waiting; raise maxQueue or connections)`,
      { retryable: true, ...options },
    );
    this.origin = origin;
    this.maxQueue = maxQueue;
    this.inFlight = inFlight;
  }
}

/**
 * A request waited longer than `queueTimeoutMs` for a free slot. It is a
 * `TimeoutError` with phase "queue" (code "TIMEOUT", retryable), so timeout-aware
 * middleware treats it like any other timeout; `instanceof PoolTimeoutError`
 * tells it apart. The request never reached the network.
 */
export class PoolTimeoutError extends TimeoutError {
  readonly origin: string;
  constructor(origin: string, timeoutMs: number, options: LLMErrorOptions = {}) {
    super("queue", timeoutMs, options);
    this.origin = origin;
    this.message = `Waited ${timeoutMs} ms in the connection pool queue for ${origin} without a free connection (queueTimeoutMs)`;
  }
}

/** The pool was closed or destroyed; no new request is accepted. Not retryable on this pool. */
export class PoolClosedError extends LLMError {
  override readonly code = "POOL_CLOSED";
  constructor(origin: string, how: "closed" | "destroyed", options: LLMErrorOptions = {}) {
    super(`Connection pool is ${how}; cannot send a request to ${origin}`, {
      retryable: false,
      ...options,
    });
  }
}
