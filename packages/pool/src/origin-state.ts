import type { LLMError, TransportRequest } from "@llm/core";
import type { Dispatcher, Pool } from "undici";
import { mapUndiciError } from "./map-undici-error.js";
import type { ResolvedPoolOptions } from "./options.js";
import { OriginGate } from "./origin-gate.js";
import type { ResponseOwner } from "./pool-response.js";
import { WaitHistogram } from "./wait-histogram.js";

/** A snapshot of one origin. */
export interface OriginStats {
  origin: string;
  /** Sockets open now (undici). */
  connected: number;
  /** Open sockets with nothing running (undici). */
  free: number;
  /** Requests inside undici not yet written to a socket. */
  pending: number;
  /** Requests inside undici written and awaiting / receiving a response. */
  running: number;
  /** Requests waiting in this pool's queue, not yet given to undici. */
  queued: number;
  /** Requests holding a slot: given to undici and not finished (body not fully received, failed or cancelled). */
  inFlight: number;
  /** Sockets opened since the pool started (undici `connect` events). */
  connectionsOpened: number;
  /** Responses received (any status). */
  requestsServed: number;
  /** Share of served requests that reused an open socket: 1 - opened / served (0 when none served). */
  reuseRatio: number;
  /** Queue wait over the last 1,024 requests, in ms (0 for requests that found a free slot). */
  queueWaitP50Ms: number;
  queueWaitP99Ms: number;
  /** Requests that failed with a network, timeout or abort error (on the way or mid-body). */
  errors: number;
  /** Requests refused because the queue was full. */
  rejectedQueueFull: number;
  /** Requests that waited longer than `queueTimeoutMs`. */
  queueTimeouts: number;
}

/** Everything the pool keeps per origin: the undici dispatcher, the gate and the counters. */
export class OriginState implements ResponseOwner {
  readonly gate: OriginGate;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxBodyBytes: number;
  connectionsOpened = 0;
  requestsServed = 0;
  errors = 0;
  readonly release: () => void;

  constructor(
    readonly origin: string,
    readonly dispatcher: Dispatcher,
    /** The origin's own Pool, absent when requests go through a proxy agent. */
    readonly pool: Pool | undefined,
    options: ResolvedPoolOptions,
  ) {
    const perSocket = options.allowH2
      ? Math.max(options.pipelining, options.maxConcurrentStreams)
      : options.pipelining;
    this.gate = new OriginGate(
      origin,
      options.connections * perSocket,
      options.maxQueue,
      options.queueTimeoutMs,
      new WaitHistogram(),
    );
    this.release = this.gate.release;
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.headersTimeoutMs = options.headersTimeoutMs;
    this.bodyTimeoutMs = options.bodyTimeoutMs;
    this.maxBodyBytes = options.maxBodyBytes;
    pool?.on("connect", () => {
      this.connectionsOpened++;
    });
  }

  /** Outcome of a request sent through the Dispatcher face (`fetch`). */
  readonly settleDispatch = (error?: Error): void => {
    if (error) this.errors++;
    else this.requestsServed++;
    this.release();
  };

  mapError(error: unknown, request: TransportRequest): LLMError {
    this.errors++;
    return mapUndiciError(error, request, this);
  }

  stats(): OriginStats {
    const s = this.pool?.stats;
    const served = this.requestsServed;
    return {
      origin: this.origin,
      connected: s?.connected ?? 0,
      free: s?.free ?? 0,
      pending: s?.pending ?? 0,
      running: s?.running ?? 0,
      queued: this.gate.queued,
      inFlight: this.gate.inFlight,
      connectionsOpened: this.connectionsOpened,
      requestsServed: served,
      reuseRatio: served === 0 ? 0 : Math.max(0, 1 - this.connectionsOpened / served),
      queueWaitP50Ms: this.gate.waits.percentile(0.5),
      queueWaitP99Ms: this.gate.waits.percentile(0.99),
      errors: this.errors,
      rejectedQueueFull: this.gate.rejectedFull,
      queueTimeouts: this.gate.timedOut,
    };
  }
}
