import {
  ConfigError,
  settleWithin,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from "@llm/core";
import {
  Dispatcher,
  EnvHttpProxyAgent,
  Pool,
  Request as UndiciRequest,
  fetch as undiciFetch,
} from "undici";
import { createCachingLookup } from "./caching-lookup.js";
import { PoolClosedError } from "./errors.js";
import {
  type ConnectionPoolOptions,
  type ResolvedPoolOptions,
  resolvePoolOptions,
} from "./options.js";
import { OriginState, type OriginStats } from "./origin-state.js";
import { PoolResponse } from "./pool-response.js";
import { failHandler, wrapWithSlotRelease } from "./slot-handler.js";

type FetchFunction = typeof globalThis.fetch;

/**
 * The pool as an undici Dispatcher, for `fetch` and anything else that takes a
 * `dispatcher`: it routes by origin to the same gated per-origin pools the
 * Transport uses, so SDK traffic shares sockets, limits and statistics.
 */
class PoolDispatcher extends Dispatcher {
  readonly #owner: ConnectionPool;
  constructor(owner: ConnectionPool) {
    super();
    this.#owner = owner;
  }
  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    return this.#owner.dispatchGated(options, handler);
  }
  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | undefined {
    const done = this.#owner.close();
    if (!callback) return done;
    done.then(callback, callback);
    return undefined;
  }
  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | undefined {
    const done = this.#owner.destroy();
    const callback = typeof a === "function" ? a : b;
    if (!callback) return done;
    done.then(callback, callback);
    return undefined;
  }
}

/**
 * Keep-alive connection pools on undici, one `Pool` per origin created on first
 * use, with a bounded queue in front of each (back-pressure), LLM-friendly
 * timeouts, statistics, and two faces: the @llm/core `Transport` (`request`) and
 * a WHATWG `fetch` for the official SDKs.
 */
export class ConnectionPool implements Transport {
  /** Honours `TransportRequest.aborter`, queued, before the headers and mid-body. */
  readonly abortHandles = true;
  readonly options: Readonly<ResolvedPoolOptions>;
  /** undici Dispatcher over the same pools (e.g. `undici.request(url, { dispatcher: pool.dispatcher })`). */
  readonly dispatcher: Dispatcher;
  /** Keyed by the URL prefix as callers spell it, and by the normalized origin. */
  readonly #origins = new Map<string, OriginState>();
  readonly #states: OriginState[] = [];
  readonly #poolOptions: Pool.Options;
  #proxyAgent: EnvHttpProxyAgent | undefined;
  #state: "open" | "closed" | "destroyed" = "open";
  #closing: Promise<void> | undefined;

  constructor(options: ConnectionPoolOptions = {}) {
    const o = resolvePoolOptions(options);
    this.options = Object.freeze(o);
    this.#poolOptions = {
      connections: o.connections,
      pipelining: o.pipelining,
      keepAliveTimeout: o.keepAliveTimeoutMs,
      keepAliveMaxTimeout: o.keepAliveMaxTimeoutMs,
      headersTimeout: o.headersTimeoutMs,
      bodyTimeout: o.bodyTimeoutMs,
      connect: {
        timeout: o.connectTimeoutMs,
        ...(o.dnsTtlMs > 0 ? { lookup: createCachingLookup(o.dnsTtlMs) } : {}),
      } as Pool.Options["connect"],
      allowH2: o.allowH2,
      ...(o.allowH2 ? { maxConcurrentStreams: o.maxConcurrentStreams } : {}),
    };
    this.dispatcher = new PoolDispatcher(this);
  }

  /** @llm/core `Transport`: one request dispatched straight to the origin's undici Pool. */
  request(request: TransportRequest): Promise<TransportResponse> {
    const url = request.url;
    // Split "scheme://host[:port]" from the path without building a URL object.
    const slash = url.indexOf("/", url.indexOf("//") + 2);
    // No path at all ("https://host" or "https://host?q"): cut at the query instead.
    const cut = slash === -1 ? url.indexOf("?") : slash;
    const prefix = cut === -1 ? url : url.slice(0, cut);
    let state = this.#origins.get(prefix);
    if (state === undefined || this.#state !== "open") {
      try {
        state = this.#stateFor(prefix, url);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const path = slash !== -1 ? url.slice(slash) : cut === -1 ? "/" : `/${url.slice(cut)}`;
    if (state.gate.tryAcquire()) return this.#send(state, request, path);
    const s = state;
    return state.gate
      .enqueue(request.signal, request.aborter)
      .then(() => this.#send(s, request, path));
  }

  #send(state: OriginState, request: TransportRequest, path: string): Promise<TransportResponse> {
    return new PoolResponse(state, request).send(path);
  }

  /** WHATWG `fetch` over the pool: `new OpenAI({ fetch: pool.fetch })`. */
  readonly fetch: FetchFunction = ((input: string | URL | Request, init?: RequestInit) => {
    let target: unknown = input;
    if (typeof input === "object" && !(input instanceof URL) && !(input instanceof UndiciRequest)) {
      // A Request from another fetch implementation (e.g. Node's bundled one): rebuild it for undici.
      target = new UndiciRequest(input.url, {
        method: input.method,
        headers: input.headers as never,
        body: input.body as never,
        signal: input.signal as never,
        duplex: "half",
      });
    }
    return undiciFetch(target as string, {
      ...(init as object),
      dispatcher: this.dispatcher,
    }) as unknown as Promise<Response>;
  }) as FetchFunction;

  /** Used by `dispatcher` (and so `fetch`): gate, then hand to the origin's Pool. */
  dispatchGated(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    let state: OriginState;
    try {
      const origin = String(options.origin);
      state = this.#origins.get(origin) ?? this.#stateFor(origin, origin);
    } catch (error) {
      failHandler(handler, error as Error);
      return false;
    }
    const wrapped = wrapWithSlotRelease(handler, state.settleDispatch);
    const opts = { ...options, origin: state.origin };
    if (state.gate.tryAcquire()) return state.dispatcher.dispatch(opts, wrapped);
    state.gate.enqueue(undefined).then(
      () => state.dispatcher.dispatch(opts, wrapped),
      (error: Error) => failHandler(handler, error),
    );
    return true;
  }

  #stateFor(prefix: string, url: string): OriginState {
    if (this.#state !== "open") {
      throw new PoolClosedError(prefix, this.#state === "closed" ? "closed" : "destroyed");
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (error) {
      throw new ConfigError(`Invalid request URL "${prefix}"`, {
        issues: [{ path: "url", message: "must be an absolute http(s) URL" }],
        cause: error,
      });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new ConfigError(`Unsupported protocol "${parsed.protocol}" in request URL`, {
        issues: [{ path: "url", message: "must be http: or https:" }],
      });
    }
    const origin = parsed.origin;
    let state = this.#origins.get(origin);
    if (!state) {
      state = this.#createState(origin);
      this.#origins.set(origin, state);
      this.#states.push(state);
    }
    this.#origins.set(prefix, state);
    return state;
  }

  #createState(origin: string): OriginState {
    const proxy = this.options.proxy;
    if (proxy) {
      this.#proxyAgent ??= new EnvHttpProxyAgent({ ...this.#poolOptions, ...proxy });
      return new OriginState(origin, this.#proxyAgent, undefined, this.options);
    }
    const pool = new Pool(origin, this.#poolOptions);
    return new OriginState(origin, pool, pool, this.options);
  }

  /** Statistics for one origin (`undefined` if it was never used), or all origins by origin. */
  stats(): Record<string, OriginStats>;
  stats(origin: string): OriginStats | undefined;
  stats(origin?: string): Record<string, OriginStats> | OriginStats | undefined {
    if (origin !== undefined) {
      let key = origin;
      try {
        key = new URL(origin).origin;
      } catch {
        // not a URL: look it up as given
      }
      return this.#origins.get(key)?.stats();
    }
    const all: Record<string, OriginStats> = {};
    for (const state of this.#states) all[state.origin] = state.stats();
    return all;
  }

  /**
   * Graceful, with a deadline: refuses new requests and lets queued and
   * in-flight ones finish (bodies included) for up to `timeoutMs` (default the
   * pool's `closeTimeoutMs`, 5 s; 0 = no deadline), then closes the sockets.
   * Whatever is still running at the deadline fails with `PoolClosedError`
   * ("closed") and its socket is destroyed, so a hung server cannot hold
   * `close()` — nor a container's `dispose()` — for the 10-minute header timeout.
   * Every call returns the first call's promise.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.#closing) return this.#closing;
    if (this.#state === "destroyed") return Promise.resolve();
    this.#state = "closed";
    const timeoutMs = options.timeoutMs ?? this.options.closeTimeoutMs;
    this.#closing = (async () => {
      const idle = Promise.all(this.#states.map((s) => s.gate.whenIdle()));
      // Idle within timeoutMs (0: however long it takes)? The timer is not unref'd:
      // a script awaiting close() must see it finish.
      const drained = await settleWithin(
        idle.then(() => true),
        { timeoutMs, onTimeout: () => false },
      );
      if (!drained) {
        await this.#terminate("closed");
        return;
      }
      await Promise.all([
        ...this.#states.flatMap((s) => (s.pool ? [s.pool.close()] : [])),
        this.#proxyAgent?.close(),
      ]);
    })();
    return this.#closing;
  }

  /** Immediate: fails queued and in-flight requests (bodies being read included) with `PoolClosedError`. */
  async destroy(): Promise<void> {
    if (this.#state === "destroyed") return;
    await this.#terminate("destroyed");
  }

  async #terminate(how: "closed" | "destroyed"): Promise<void> {
    this.#state = "destroyed";
    for (const s of this.#states) s.gate.rejectAll(new PoolClosedError(s.origin, how));
    // undici hands the error given to destroy() to every request it still holds.
    const reason = (origin: string) => new PoolClosedError(origin, how);
    await Promise.all([
      ...this.#states.flatMap((s) =>
        s.pool && !s.pool.destroyed ? [s.pool.destroy(reason(s.origin))] : [],
      ),
      this.#proxyAgent?.destroy(reason("the proxy")),
    ]);
  }
}

/** A `Transport` backed by a `ConnectionPool` (the pool itself; named for symmetry with `createFetchTransport`). */
export function createPoolTransport(
  pool: ConnectionPool | ConnectionPoolOptions = {},
): ConnectionPool {
  return pool instanceof ConnectionPool ? pool : new ConnectionPool(pool);
}
