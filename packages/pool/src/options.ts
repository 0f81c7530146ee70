import { ConfigError, type ConfigIssue } from "@llm/core";

/** Proxy settings passed to undici's `EnvHttpProxyAgent`. */
export interface ProxyOptions {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface DnsCacheOptions {
  /** How long a resolved address is reused for new connections. */
  ttlMs?: number;
}

export interface ConnectionPoolOptions {
  /** Max sockets per origin. */
  connections?: number;
  /** Requests in flight per socket (HTTP/1.1). */
  pipelining?: number;
  /** Idle time before a kept-alive socket is closed (a server's `Keep-Alive` hint wins, capped below). */
  keepAliveTimeoutMs?: number;
  /** Upper bound for a server's `Keep-Alive: timeout=` hint. */
  keepAliveMaxTimeoutMs?: number;
  /** TCP + TLS handshake limit. */
  connectTimeoutMs?: number;
  /** Wait for response headers. A non-streamed LLM answer sends them only when generation is done. */
  headersTimeoutMs?: number;
  /** Max gap between two body chunks (a reasoning model may think silently mid-stream). */
  bodyTimeoutMs?: number;
  /** Requests waiting for a free slot per origin before `PoolQueueFullError`. */
  maxQueue?: number;
  /** Max time a request waits in the queue before `PoolTimeoutError`; 0 = no limit. */
  queueTimeoutMs?: number;
  /** Negotiate HTTP/2 over TLS (ALPN) when the server offers it. */
  allowH2?: boolean;
  /** Concurrent HTTP/2 streams per connection (with `allowH2`). */
  maxConcurrentStreams?: number;
  /** Cache DNS answers for new connections: `true` (30 s) or `{ ttlMs }`. */
  dns?: boolean | DnsCacheOptions;
  /** `"env"`: honour HTTP_PROXY / HTTPS_PROXY / NO_PROXY; or explicit proxy URLs. */
  proxy?: "env" | ProxyOptions;
  /**
   * How long `close()` lets in-flight and queued requests finish before it
   * fails them with `PoolClosedError` and destroys the sockets. 0 = wait for
   * them however long they take.
   */
  closeTimeoutMs?: number;
  /** Largest body `text()` / `json()` will read; past it they throw `LimitExceededError`. Streamed bodies are not bounded here. */
  maxBodyBytes?: number;
}

export interface ResolvedPoolOptions {
  connections: number;
  pipelining: number;
  keepAliveTimeoutMs: number;
  keepAliveMaxTimeoutMs: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxQueue: number;
  queueTimeoutMs: number;
  allowH2: boolean;
  maxConcurrentStreams: number;
  dnsTtlMs: number;
  proxy: ProxyOptions | undefined;
  closeTimeoutMs: number;
  maxBodyBytes: number;
}

export const POOL_DEFAULTS = {
  connections: 32,
  pipelining: 1,
  keepAliveTimeoutMs: 30_000,
  keepAliveMaxTimeoutMs: 600_000,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 600_000,
  bodyTimeoutMs: 300_000,
  maxQueue: 1_000,
  queueTimeoutMs: 60_000,
  allowH2: false,
  maxConcurrentStreams: 100,
  dnsTtlMs: 30_000,
  closeTimeoutMs: 5_000,
  maxBodyBytes: 32 * 1024 * 1024,
} as const;

const NUMERIC_KEYS = [
  ["connections", 1],
  ["pipelining", 1],
  ["keepAliveTimeoutMs", 1],
  ["keepAliveMaxTimeoutMs", 1],
  ["connectTimeoutMs", 0],
  ["headersTimeoutMs", 0],
  ["bodyTimeoutMs", 0],
  ["maxQueue", 0],
  ["queueTimeoutMs", 0],
  ["maxConcurrentStreams", 1],
  ["closeTimeoutMs", 0],
  ["maxBodyBytes", 1],
] as const;

/** Fills defaults and validates; every problem is reported at once as a `ConfigError`. */
export function resolvePoolOptions(options: ConnectionPoolOptions = {}): ResolvedPoolOptions {
  const issues: ConfigIssue[] = [];
  for (const [key, min] of NUMERIC_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || Number.isNaN(value) || value < min) {
      issues.push({ path: key, message: `must be a number >= ${min}, got ${String(value)}` });
    } else if (key !== "queueTimeoutMs" && !Number.isInteger(value) && Number.isFinite(value)) {
      issues.push({ path: key, message: `must be an integer, got ${value}` });
    }
  }
  let dnsTtlMs = 0;
  if (options.dns === true) dnsTtlMs = POOL_DEFAULTS.dnsTtlMs;
  else if (typeof options.dns === "object") {
    dnsTtlMs = options.dns.ttlMs ?? POOL_DEFAULTS.dnsTtlMs;
    if (!(dnsTtlMs > 0)) issues.push({ path: "dns.ttlMs", message: "must be > 0" });
  }
  let proxy: ProxyOptions | undefined;
  if (options.proxy === "env") proxy = {};
  else if (typeof options.proxy === "object") proxy = options.proxy;
  else if (options.proxy !== undefined) {
    issues.push({ path: "proxy", message: `must be "env" or { httpProxy, httpsProxy, noProxy }` });
  }
  if (issues.length > 0) throw new ConfigError("Invalid ConnectionPool options", { issues });
  return {
    connections: options.connections ?? POOL_DEFAULTS.connections,
    pipelining: options.pipelining ?? POOL_DEFAULTS.pipelining,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? POOL_DEFAULTS.keepAliveTimeoutMs,
    keepAliveMaxTimeoutMs: options.keepAliveMaxTimeoutMs ?? POOL_DEFAULTS.keepAliveMaxTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? POOL_DEFAULTS.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs ?? POOL_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs ?? POOL_DEFAULTS.bodyTimeoutMs,
    maxQueue: options.maxQueue ?? POOL_DEFAULTS.maxQueue,
    queueTimeoutMs: options.queueTimeoutMs ?? POOL_DEFAULTS.queueTimeoutMs,
    allowH2: options.allowH2 ?? POOL_DEFAULTS.allowH2,
    maxConcurrentStreams: options.maxConcurrentStreams ?? POOL_DEFAULTS.maxConcurrentStreams,
    dnsTtlMs,
    proxy,
    closeTimeoutMs: options.closeTimeoutMs ?? POOL_DEFAULTS.closeTimeoutMs,
    maxBodyBytes: options.maxBodyBytes ?? POOL_DEFAULTS.maxBodyBytes,
  };
}
