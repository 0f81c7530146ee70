import { randomUUID } from "node:crypto";
import type {
  FlightClaim,
  FlightCoordinator,
  FlightFollower,
  FlightLease,
  FollowSignal,
} from "@llm/cache";
import { AbortError, ConfigError, onAbort, type StreamEvent, settleWithin } from "@llm/core";
import {
  type RedisSentinelOptions,
  type RedisTLSOptions,
  readyOrTLSFailure,
  reviveOnUnexpectedEnd,
  sentinelConnectionOptions,
} from "@llm/redis-connection";
import { Cluster, type ClusterNode, Redis, type RedisOptions } from "ioredis";
import { decodeFlightEntry } from "./flight-entry.js";
import { FlightEntryCorruptError } from "./flight-error.js";
import { CLAIM_SCRIPT, FINISH_SCRIPT, PUBLISH_SCRIPT, RENEW_SCRIPT } from "./flight-scripts.js";
import { namespaceKeyPrefix } from "./redis-store.js";
import { toRedisStoreError } from "./redis-store-error.js";
import { urlTLSOptions } from "./url-tls.js";

export interface RedisFlightCoordinatorOptions {
  /** `redis://[:password@]host:port/db`. One of `url` / `cluster` / `client` is required. */
  url?: string;
  /** Startup nodes of a Redis Cluster. */
  cluster?: readonly (string | ClusterNode)[];
  /** A Redis Sentinel deployment, as for `RedisStore` (the master's password in `redisOptions`). */
  sentinel?: RedisSentinelOptions;
  /** TLS to the Redis server (with `sentinel`, the data nodes), as for `RedisStore`. */
  tls?: RedisTLSOptions;
  /** Your own connection (`Redis` or `Cluster`); not closed by `close()`. */
  client?: Redis | Cluster;
  /** The namespace of the `RedisStore` the processes share (same hash tag, same slot). */
  namespace: string;
  /** Lease time, ms: a leader that stops renewing is replaced after this. Default 10 000. */
  leaseMs?: number;
  /** Longest a follower waits for a leader before it makes its own call, ms. Default 60 000. */
  maxWaitMs?: number;
  /** Longest one blocking read waits before the follower checks the lease again, ms. Default 1 000. */
  blockMs?: number;
  /**
   * Stream events relayed per flight, both written by this process's leaders and taken by its
   * followers from a log (which another writer may have made longer); beyond it followers
   * read the stored answer. Default 10 000.
   */
  maxEvents?: number;
  /** Largest relayed event (JSON bytes); a bigger one truncates the relay the same way. Default 256 KiB. */
  maxEventBytes?: number;
  /** How long a finished flight's log stays, so a process that just missed it reads the store. Default 10 000. */
  doneTtlMs?: number;
  /** Connections for followers' blocking reads (one per key being followed). Default 16. */
  maxBlockingConnections?: number;
  /** Connection errors and corrupt log entries (`FlightEntryCorruptError`). */
  onError?: (error: unknown) => void;
  /** Extra ioredis options for connections created from `url` or `sentinel`. */
  redisOptions?: RedisOptions;
}

/** What this process's coordinator did; counters only grow. */
export interface FlightCoordinatorStats {
  /** Claims that made this process the leader. */
  led: number;
  /** Claims that made it a follower. */
  followed: number;
  /** Claims answered "just stored, read the store". */
  recentlyDone: number;
  /** Followers that took a vanished leader's lease over. */
  tookOver: number;
  /** Followers that stopped following, by reason. */
  gaveUp: { timeout: number; unavailable: number; corrupt: number };
  /** Leases lost to expiry (this process stalled, or Redis lost the lease). */
  leasesLost: number;
}

interface FlightCommands {
  llmFlightClaim(n: 2, lease: string, log: string, ...args: (string | number)[]): Promise<number>;
  llmFlightPublish(n: 2, lease: string, log: string, ...args: (string | number)[]): Promise<number>;
  llmFlightRenew(n: 2, lease: string, log: string, ...args: (string | number)[]): Promise<number>;
  llmFlightFinish(n: 2, lease: string, log: string, ...args: (string | number)[]): Promise<number>;
}
type Connection = Redis | Cluster;
type Scripted = Connection & FlightCommands;

const MAX_KEY_LENGTH = 1_024;
/** Entries read per blocking read. */
const READ_COUNT = 256;

/**
 * Cross-process single-flight on Redis (see `FlightCoordinator` in
 * `@llm/cache`): the first process to miss a key takes a lease (`SET NX PX`
 * with a random token, renewed every third of its life while the call runs)
 * and appends its stream events to a Redis Stream; the others read that log
 * with `XREAD BLOCK` from its first entry — so a late joiner replays from the
 * start — and end with the leader's `done`, after which a generate caller
 * reads the stored answer from the shared `RedisStore`.
 *
 * A leader that dies stops renewing; once its lease expires, a follower
 * claims it (the log restarts under the new token, followers see `restart`)
 * and makes the call itself. A leader that fails or is abandoned says so
 * and a follower takes over at once. Everything is bounded: the wait
 * (`maxWaitMs`), the log (`maxEvents`, `maxEventBytes`, `MAXLEN`, expiry) and
 * the blocking connections; a foreign or damaged entry ends the follow (the
 * follower makes its own call) and is reported, never thrown.
 */
export class RedisFlightCoordinator implements FlightCoordinator {
  readonly name = "redis";
  readonly namespace: string;
  readonly #client: Scripted;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #pool: BlockingPool;
  readonly #onError: (error: unknown) => void;
  readonly #leases = new Set<RedisLease>();
  readonly settings: {
    leaseMs: number;
    maxWaitMs: number;
    blockMs: number;
    maxEvents: number;
    maxEventBytes: number;
    doneTtlMs: number;
  };
  readonly #stats: FlightCoordinatorStats = {
    led: 0,
    followed: 0,
    recentlyDone: 0,
    tookOver: 0,
    gaveUp: { timeout: 0, unavailable: 0, corrupt: 0 },
    leasesLost: 0,
  };
  #closed = false;

  constructor(options: RedisFlightCoordinatorOptions) {
    if (!options.namespace || /[\s*?[\]{}]/.test(options.namespace)) {
      throw new ConfigError(
        "RedisFlightCoordinator needs a namespace without spaces, braces or glob characters",
        { issues: [{ path: "namespace", message: `got ${JSON.stringify(options.namespace)}` }] },
      );
    }
    if (
      !options.client &&
      options.url === undefined &&
      options.cluster === undefined &&
      options.sentinel === undefined
    ) {
      throw new ConfigError(
        "RedisFlightCoordinator needs a `url`, a `cluster`, a `sentinel` or a `client`",
        {
          issues: [{ path: "url", message: "missing" }],
        },
      );
    }
    this.settings = {
      leaseMs: positive(options.leaseMs, 10_000, "leaseMs"),
      maxWaitMs: positive(options.maxWaitMs, 60_000, "maxWaitMs"),
      blockMs: positive(options.blockMs, 1_000, "blockMs"),
      maxEvents: positive(options.maxEvents, 10_000, "maxEvents"),
      maxEventBytes: positive(options.maxEventBytes, 256 * 1024, "maxEventBytes"),
      doneTtlMs: positive(options.doneTtlMs, 10_000, "doneTtlMs"),
    };
    this.namespace = options.namespace;
    this.#prefix = namespaceKeyPrefix(options.namespace);
    this.#onError = options.onError ?? (() => {});
    // Fail fast, like RedisStore: with Redis down a claim fails at once and
    // the caller makes its own call instead of queueing behind a dead link.
    const failFast: RedisOptions = {
      enableOfflineQueue: false,
      commandTimeout: 1_000,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), 1_000),
      ...urlTLSOptions(options),
      ...options.redisOptions,
    };
    this.#ownsClient = options.client === undefined;
    const client =
      options.client ??
      (options.cluster
        ? new Cluster([...options.cluster], {
            enableOfflineQueue: false,
            clusterRetryStrategy: failFast.retryStrategy,
            redisOptions: failFast,
          })
        : options.sentinel
          ? new Redis({
              ...failFast,
              ...sentinelConnectionOptions(options.sentinel, options.tls),
              ...options.redisOptions,
            })
          : new Redis(options.url!, failFast));
    if (options.sentinel && client instanceof Redis) {
      reviveOnUnexpectedEnd(client, () => this.#closed, 1_000);
    }
    client.on("error", this.#onError);
    client.defineCommand("llmFlightClaim", { lua: CLAIM_SCRIPT });
    client.defineCommand("llmFlightPublish", { lua: PUBLISH_SCRIPT });
    client.defineCommand("llmFlightRenew", { lua: RENEW_SCRIPT });
    client.defineCommand("llmFlightFinish", { lua: FINISH_SCRIPT });
    this.#client = client as Scripted;
    this.#pool = new BlockingPool(
      client,
      options.maxBlockingConnections ?? 16,
      this.settings.blockMs,
      this.#onError,
    );
  }

  /** Resolves once the command connection is ready; rejects with a `RedisTLSError` if TLS fails. */
  ready(): Promise<void> {
    return readyOrTLSFailure(this.#client);
  }

  stats(): FlightCoordinatorStats {
    return structuredClone(this.#stats);
  }

  /** The Redis keys of `key`'s lease and log (tools, tests). */
  keysOf(key: string): { lease: string; log: string } {
    return { lease: `${this.#prefix}l:${key}`, log: `${this.#prefix}f:${key}` };
  }

  async claim(key: string): Promise<FlightClaim> {
    if (this.#closed) throw new AbortError("The flight coordinator is closed");
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new ConfigError(`A flight key must have 1 to ${MAX_KEY_LENGTH} characters`, {
        issues: [{ path: "key", message: `${key.length} characters` }],
      });
    }
    const claimed = await this.#tryLease(key);
    if (claimed instanceof RedisLease) {
      this.#stats.led++;
      return { role: "leader", lease: claimed };
    }
    if (claimed === "done") {
      this.#stats.recentlyDone++;
      return { role: "done" };
    }
    this.#stats.followed++;
    return { role: "follower", follower: new RedisFollower(this, key) };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const lease of this.#leases) lease.stop();
    await this.#pool.close();
    if (this.#ownsClient) await quit(this.#client);
  }

  /** Internal: one claim attempt (leader, "done", or "busy": somebody else holds it). */
  async #tryLease(key: string): Promise<RedisLease | "done" | "busy"> {
    const { lease, log } = this.keysOf(key);
    const token = randomUUID();
    const { leaseMs, maxEvents } = this.settings;
    let result: unknown;
    try {
      result = await this.#client.llmFlightClaim(
        2,
        lease,
        log,
        token,
        leaseMs,
        leaseMs * 2,
        maxEvents + 16,
      );
    } catch (error) {
      // ioredis's own error (a WRONGTYPE when the flight's keys hold another type, a lost
      // connection) becomes the store's typed one: a caller may tell it from a bug.
      throw toRedisStoreError("flight claim", error);
    }
    if (result === 1) return new RedisLease(this, this.#client, key, token, this.#leaseHooks);
    return result === 2 ? "done" : "busy";
  }

  readonly #leaseHooks = {
    started: (lease: RedisLease) => this.#leases.add(lease),
    stopped: (lease: RedisLease) => this.#leases.delete(lease),
    lost: () => {
      this.#stats.leasesLost++;
    },
    error: (error: unknown) => this.#onError(error),
  };

  /** Internal, for `RedisFollower`. */
  readonly internals = {
    tryLease: (key: string) => this.#tryLease(key),
    currentLeader: (key: string) =>
      this.#client.get(this.keysOf(key).lease).catch((error: unknown) => {
        throw toRedisStoreError("flight leader", error);
      }),
    acquire: (deadline: number, signal: AbortSignal | undefined) =>
      this.#pool.acquire(deadline, signal),
    release: (connection: Connection, healthy: boolean) => this.#pool.release(connection, healthy),
    tookOver: () => {
      this.#stats.tookOver++;
    },
    gaveUp: (reason: "timeout" | "unavailable" | "corrupt", error?: unknown) => {
      this.#stats.gaveUp[reason]++;
      if (error !== undefined) this.#onError(error);
    },
  };
}

/** The leader's lease: renewed in the background, fenced on every write. */
class RedisLease implements FlightLease {
  #held = true;
  #relayed = 0;
  #truncated = false;
  #last: Promise<unknown> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;
  readonly #keys: { lease: string; log: string };

  constructor(
    private readonly coordinator: RedisFlightCoordinator,
    private readonly client: Scripted,
    readonly key: string,
    readonly token: string,
    private readonly hooks: {
      started(lease: RedisLease): void;
      stopped(lease: RedisLease): void;
      lost(): void;
      error(error: unknown): void;
    },
  ) {
    this.#keys = coordinator.keysOf(key);
    const { leaseMs } = coordinator.settings;
    this.#timer = setInterval(() => this.#renew(), Math.max(1, Math.floor(leaseMs / 3)));
    this.#timer.unref();
    hooks.started(this);
  }

  get held(): boolean {
    return this.#held;
  }

  publish(event: StreamEvent): void {
    // In-band errors are not answers (never stored); followers learn of the failure from `abandon`.
    if (!this.#held || this.#truncated || event.type === "error") return;
    const { maxEvents, maxEventBytes } = this.coordinator.settings;
    const json = JSON.stringify(event);
    if (++this.#relayed > maxEvents || Buffer.byteLength(json) > maxEventBytes) {
      this.#truncated = true;
      this.#append("o", "");
      return;
    }
    this.#append("e", json);
  }

  async complete(stored: boolean): Promise<void> {
    await this.#finish("d", stored);
  }

  async abandon(): Promise<void> {
    await this.#finish("a", false);
  }

  /** Stops renewing (close, finish, loss). */
  stop(): void {
    clearInterval(this.#timer);
    this.hooks.stopped(this);
  }

  #append(type: string, data: string): void {
    const { maxEvents } = this.coordinator.settings;
    // Not awaited: commands on one connection run in order, so events keep theirs.
    this.#last = this.client
      .llmFlightPublish(2, this.#keys.lease, this.#keys.log, this.token, maxEvents + 16, type, data)
      .then(
        (ok) => {
          if (ok === 0) this.#lose();
        },
        (error: unknown) => this.hooks.error(error),
      );
  }

  async #finish(type: "d" | "a", stored: boolean): Promise<void> {
    this.stop();
    if (!this.#held) return;
    this.#held = false;
    await this.#last;
    try {
      await this.client.llmFlightFinish(
        2,
        this.#keys.lease,
        this.#keys.log,
        this.token,
        type,
        stored ? "1" : "0",
        this.coordinator.settings.doneTtlMs,
        this.coordinator.settings.maxEvents + 16,
      );
    } catch (error) {
      // Followers find the lease expired and take over, or time out: both end well.
      this.hooks.error(error);
    }
  }

  #renew(): void {
    const { leaseMs } = this.coordinator.settings;
    this.client
      .llmFlightRenew(2, this.#keys.lease, this.#keys.log, this.token, leaseMs, leaseMs * 2)
      .then(
        (ok) => {
          if (ok === 0) this.#lose();
        },
        // A failed renewal is retried at the next tick; the lease outlives two of them.
        (error: unknown) => this.hooks.error(error),
      );
  }

  #lose(): void {
    if (!this.#held) return;
    this.#held = false;
    this.stop();
    this.hooks.lost();
  }
}

/** A follower: reads the flight's log with XREAD BLOCK, checking the lease whenever it goes quiet. */
class RedisFollower implements FlightFollower {
  constructor(
    private readonly coordinator: RedisFlightCoordinator,
    private readonly key: string,
  ) {}

  async *watch(signal?: AbortSignal): AsyncGenerator<FollowSignal> {
    const { maxWaitMs, blockMs, maxEvents, maxEventBytes } = this.coordinator.settings;
    const { log } = this.coordinator.keysOf(this.key);
    const internals = this.coordinator.internals;
    const deadline = Date.now() + maxWaitMs;
    let connection: Connection;
    try {
      connection = await internals.acquire(deadline, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      const reason = error instanceof WaitTimeout ? "timeout" : "unavailable";
      internals.gaveUp(reason, reason === "unavailable" ? error : undefined);
      yield { type: "give-up", reason };
      return;
    }
    let healthy = true;
    try {
      let lastId = "0";
      let token: string | undefined;
      // Counted here too, not only by the leader: the log is read from Redis, where another
      // writer (or a leader configured with a larger maxEvents) may have put any number of
      // events, and whoever consumes this relay holds every event it is given.
      let relayed = 0;
      while (true) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          internals.gaveUp("timeout");
          yield { type: "give-up", reason: "timeout" };
          return;
        }
        let reply: [string, [string, string[]][]][] | null;
        try {
          // The abort stops the wait, not the blocked XREAD: that connection is dropped below.
          reply = (await settleWithin(
            connection.xread(
              "COUNT",
              READ_COUNT,
              "BLOCK",
              Math.max(1, Math.min(blockMs, remaining)),
              "STREAMS",
              log,
              lastId,
            ),
            {
              signal,
              onAbort: (aborted): never => {
                throw abortError(aborted);
              },
            },
          )) as [string, [string, string[]][]][] | null;
        } catch (error) {
          healthy = false; // a read still blocked on it, or a broken link: never reuse
          if (signal?.aborted) throw abortError(signal);
          internals.gaveUp("unavailable", toRedisStoreError("flight read", error));
          yield { type: "give-up", reason: "unavailable" };
          return;
        }
        const entries = reply?.[0]?.[1] ?? [];
        for (const [id, fields] of entries) {
          lastId = id;
          const entry = decodeFlightEntry(fields, maxEventBytes);
          if (typeof entry === "string") {
            internals.gaveUp("corrupt", new FlightEntryCorruptError(this.key, entry));
            yield { type: "give-up", reason: "corrupt" };
            return;
          }
          if (entry.type === "start") {
            if (token !== undefined && entry.token !== token) {
              relayed = 0;
              yield { type: "restart" };
            }
            token = entry.token;
            continue;
          }
          if (token === undefined) {
            // The log's start is gone (trimmed by hand, or expired and rewritten): relay nothing of it.
            token = entry.token;
            yield { type: "truncated" };
          }
          if (entry.token !== token) continue; // a fenced-out leader's late entry cannot exist; skip it if it does
          switch (entry.type) {
            case "event":
              // Past the bound, as the leader does: say so once, relay no more of it.
              if (++relayed <= maxEvents) yield { type: "event", event: entry.event };
              else if (relayed === maxEvents + 1) yield { type: "truncated" };
              break;
            case "truncated":
              yield { type: "truncated" };
              break;
            case "done":
              yield { type: "done", stored: entry.stored };
              return;
            case "abandoned": {
              const next = yield* this.#takeOver();
              if (next === "final") return;
              break;
            }
          }
        }
        if (entries.length > 0) continue;
        // Quiet for `blockMs`: is the leader still there?
        let leader: string | null;
        try {
          leader = await internals.currentLeader(this.key);
        } catch (error) {
          internals.gaveUp("unavailable", error);
          yield { type: "give-up", reason: "unavailable" };
          return;
        }
        if (leader === null) {
          const next = yield* this.#takeOver();
          if (next === "final") return;
          // Somebody else claimed it: their log replaced this one; its `s` entry says `restart`.
          lastId = "0";
        } else if (token !== undefined && leader !== token) {
          // A new leader whose log we have not seen yet (its claim replaced the
          // log): read it again from its start; its `s` entry says `restart`.
          lastId = "0";
        }
      }
    } finally {
      internals.release(connection, healthy);
    }
  }

  /** The leader is gone: claim its lease. "final" once a final signal was yielded. */
  async *#takeOver(): AsyncGenerator<FollowSignal, "final" | "busy"> {
    const internals = this.coordinator.internals;
    let claimed: Awaited<ReturnType<typeof internals.tryLease>>;
    try {
      claimed = await internals.tryLease(this.key);
    } catch (error) {
      internals.gaveUp("unavailable", error);
      yield { type: "give-up", reason: "unavailable" };
      return "final";
    }
    if (claimed === "busy") return "busy";
    if (claimed === "done") {
      yield { type: "done", stored: true };
      return "final";
    }
    internals.tookOver();
    yield { type: "takeover", lease: claimed };
    return "final";
  }
}

class WaitTimeout extends Error {}

/**
 * Connections for blocking reads: a blocked XREAD holds its connection, so
 * each follower needs its own, and their number is bounded. A follower that
 * finds none free waits for one, within its deadline.
 */
class BlockingPool {
  readonly #idle: Connection[] = [];
  readonly #waiting: ((connection: Connection | undefined) => void)[] = [];
  #open = 0;
  #closed = false;

  constructor(
    private readonly source: Connection,
    private readonly max: number,
    private readonly blockMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async acquire(deadline: number, signal: AbortSignal | undefined): Promise<Connection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#open < this.max) {
      this.#open++;
      return this.#create();
    }
    return new Promise<Connection>((resolve, reject) => {
      const timer = setTimeout(() => settle(undefined), Math.max(0, deadline - Date.now()));
      const off = signal ? onAbort(signal, () => settle(undefined)) : () => {};
      const settle = (connection: Connection | undefined) => {
        clearTimeout(timer);
        off();
        const at = this.#waiting.indexOf(settle);
        if (at >= 0) this.#waiting.splice(at, 1);
        if (connection) resolve(connection);
        else reject(new WaitTimeout("no blocking connection became free in time"));
      };
      this.#waiting.push(settle);
    });
  }

  release(connection: Connection, healthy: boolean): void {
    if (!healthy || this.#closed) {
      this.#open--;
      connection.disconnect();
      // Its slot is free again: a waiter gets a fresh connection.
      const waiter = this.#waiting.shift();
      if (waiter && !this.#closed) {
        this.#open++;
        waiter(this.#create());
      }
      return;
    }
    const waiter = this.#waiting.shift();
    if (waiter) waiter(connection);
    else this.#idle.push(connection);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter(undefined);
    await Promise.all(this.#idle.splice(0).map(quit));
  }

  #create(): Connection {
    // A blocking read may take `blockMs`: the command timeout must outlast it.
    const commandTimeout = this.blockMs + 1_000;
    const connection =
      this.source instanceof Cluster
        ? this.source.duplicate(undefined, {
            enableOfflineQueue: true,
            redisOptions: { ...this.source.options.redisOptions, commandTimeout },
          })
        : this.source.duplicate({ enableOfflineQueue: true, commandTimeout });
    connection.on("error", this.onError);
    return connection;
  }
}

/** The follower's abort error: always an `AbortError` (the signal's reason when it is one). */
function abortError(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason;
  return reason instanceof AbortError
    ? reason
    : new AbortError("The request was aborted", { cause: reason });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`RedisFlightCoordinator: ${name} must be a positive number`, {
      issues: [{ path: name, message: `got ${value}` }],
    });
  }
  return value;
}

async function quit(connection: Connection): Promise<void> {
  if (connection.status === "ready") {
    try {
      await connection.quit();
      return;
    } catch {
      // fall through: drop the socket
    }
  }
  connection.disconnect();
}
