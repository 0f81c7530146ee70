import { randomUUID } from "node:crypto";
import {
  type CacheStore,
  entryReadBound,
  type InvalidationListener,
  type StoreEntry,
  type StoreInvalidation,
  type StoreSetOptions,
} from "@llm/cache";
import { ConfigError } from "@llm/core";
import {
  type RedisSentinelOptions,
  type RedisTLSOptions,
  readyOrTLSFailure,
  reviveOnUnexpectedEnd,
  sentinelConnectionOptions,
} from "@llm/redis-connection";
import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import {
  type StoreState,
  type StoreStateChange,
  watchConnectionState,
} from "./connection-state.js";
import { decodeInvalidation, encodeInvalidation } from "./invalidation-message.js";
import { keepSubscribed } from "./keep-subscribed.js";
import { RedisStoreError, toRedisStoreError } from "./redis-store-error.js";
import { DELETE_SCRIPT, DELETE_TAG_SCRIPT, GET_WITHIN_SCRIPT, SET_SCRIPT } from "./scripts.js";
import { urlTLSOptions } from "./url-tls.js";

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port/db`. One of `url` / `cluster` / `sentinel` / `client` is required. */
  url?: string;
  /**
   * Startup nodes of a Redis Cluster (`redis://host:port` or `{ host, port }`);
   * the rest of the cluster is discovered from them.
   */
  cluster?: readonly (string | ClusterNode)[];
  /**
   * A Redis Sentinel deployment: the store asks the sentinels for the current
   * master and follows it through failovers (both connections).
   */
  sentinel?: RedisSentinelOptions;
  /** Password (AUTH) of the Redis server(s), when not in `url`; with `sentinel`, the master's. */
  password?: string;
  /**
   * TLS to the Redis server (with `sentinel`, to the data nodes; the sentinels'
   * own is `sentinel.tls` or `rediss://` addresses): a CA bundle, a client
   * certificate and key, `servername`, `rejectUnauthorized`. Files are read
   * once, here. A `rediss://` url alone is TLS with Node's CAs.
   */
  tls?: RedisTLSOptions;
  /**
   * Your own connection (a `Redis` or a `Cluster`). It is used as is
   * (configure `enableOfflineQueue: false` and `commandTimeout` yourself for
   * fail-fast behaviour) and is not closed by `close()`; the subscriber
   * connection duplicated from it is.
   */
  client?: Redis | Cluster;
  /** Prefix of every key and of the invalidation channel; one app or tenant per namespace. */
  namespace: string;
  /** A command without a reply within this many ms fails. Default 250. */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts, ms (so a recovered Redis is found within it). Default 1 000. */
  reconnectMaxDelayMs?: number;
  /** Listen for other processes' invalidations (a second connection). Default true. */
  subscribe?: boolean;
  /**
   * Largest entry `get` / `getMany` read, in bytes (Redis's own count, UTF-8). A bigger one —
   * nothing this library writes, but anything may write to Redis — reads as a miss, reported
   * to `onError` as a `RedisStoreError`, and is never transferred. Default
   * `DEFAULT_MAX_READ_BYTES` (32 MiB: any entry within a `TieredCache`'s default
   * `maxEntryBytes`, 8 Mi characters, even at 3 UTF-8 bytes each).
   */
  maxEntryBytes?: number;
  /** Connection errors and malformed messages; they are also the caller's failures to count. */
  onError?: (error: unknown) => void;
  /**
   * The connection went down or came back: called once per transition, never
   * per failed command or reconnection attempt (see `state`).
   */
  onStateChange?: (change: StoreStateChange) => void;
  /** Extra ioredis options for connections created from `url` or `sentinel` (and for each node of a `cluster`). */
  redisOptions?: RedisOptions;
  /** Extra ioredis options for a `cluster` connection. */
  clusterOptions?: ClusterOptions;
}

/**
 * Every key of a namespace starts with `{<namespace>}:`: the braces are a
 * Redis Cluster hash tag, so an entry, its tag list and its tag sets share one
 * slot and a Lua script may touch them together. A namespace therefore lives
 * on one node; a cluster spreads namespaces (apps, tenants), not the entries of
 * one.
 */
export const namespaceKeyPrefix = (namespace: string): string => `{${namespace}}:`;

const SCAN_COUNT = 500;
const DELETE_BATCH = 500;

interface ScriptCommands {
  llmCacheSet(numKeys: number, ...args: (string | number)[]): Promise<number>;
  llmCacheDelete(numKeys: number, ...args: string[]): Promise<number>;
  llmCacheDeleteTag(numKeys: number, ...args: string[]): Promise<number>;
  llmCacheGetWithin(
    numKeys: number,
    ...args: (string | number)[]
  ): Promise<(string | number | null)[]>;
}

type Connection = Redis | Cluster;
type ScriptedRedis = Connection & ScriptCommands;
type ScriptedPipeline = ReturnType<Redis["pipeline"]> & {
  llmCacheSet(numKeys: number, ...args: (string | number)[]): unknown;
};

/**
 * The shared L2 for many processes (ioredis). Keys live under
 * `<namespace>:`; TTL is enforced by Redis (`PX`); `get` / `getMany` are one
 * small script each (a value over `maxEntryBytes` stays on the server) and
 * `setMany` one pipeline; prefix deletes `SCAN` (never `KEYS`); tags are
 * sets, maintained atomically by Lua scripts.
 *
 * Every delete, prefix / tag delete and clear is published on
 * `<namespace>:invalidate` with this instance's id; other instances hand it
 * to their `subscribe` listeners (a `TieredCache` then evicts its L1), and
 * an instance ignores its own messages.
 *
 * Fail fast: with no connection a command fails at once (no offline queue)
 * and a slow one after `commandTimeoutMs`, so the cache above degrades to
 * L1 instead of queueing requests; ioredis reconnects in the background.
 */
export class RedisStore implements CacheStore {
  readonly name = "redis";
  readonly namespace: string;
  /** Identifies this instance in published invalidations. */
  readonly origin = randomUUID();
  readonly #client: ScriptedRedis;
  readonly #ownsClient: boolean;
  readonly #subscriber: Connection | undefined;
  readonly #prefix: string;
  readonly #channel: string;
  readonly #listeners = new Set<InvalidationListener>();
  readonly #subscribed: Promise<void>;
  readonly #onError: (error: unknown) => void;
  readonly #maxEntryBytes: number;
  readonly #connection: { readonly state: StoreState | undefined };
  #closed = false;

  constructor(options: RedisStoreOptions) {
    if (!options.namespace || /[\s*?[\]{}]/.test(options.namespace)) {
      throw new ConfigError(
        "RedisStore needs a namespace without spaces, braces or glob characters",
        {
          issues: [{ path: "namespace", message: `got ${JSON.stringify(options.namespace)}` }],
        },
      );
    }
    const targets = [options.client, options.url, options.cluster, options.sentinel];
    const given = targets.filter((target) => target !== undefined).length;
    if (given !== 1) {
      throw new ConfigError(
        "RedisStore needs exactly one of `url`, `cluster`, `sentinel`, `client`",
        {
          issues: [{ path: "url", message: given === 0 ? "missing" : `${given} given` }],
        },
      );
    }
    this.namespace = options.namespace;
    this.#prefix = namespaceKeyPrefix(options.namespace);
    this.#channel = `${options.namespace}:invalidate`;
    this.#onError = options.onError ?? (() => {});
    this.#maxEntryBytes = entryReadBound(options.maxEntryBytes, "RedisStore");

    const maxDelay = options.reconnectMaxDelayMs ?? 1_000;
    const failFast: RedisOptions = {
      enableOfflineQueue: false,
      commandTimeout: options.commandTimeoutMs ?? 250,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxDelay),
      ...(options.password === undefined ? {} : { password: options.password }),
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
            ...options.clusterOptions,
            redisOptions: { ...failFast, ...options.clusterOptions?.redisOptions },
          })
        : options.sentinel
          ? new Redis({
              ...failFast,
              ...sentinelConnectionOptions(options.sentinel, options.tls),
              ...options.redisOptions,
            })
          : new Redis(options.url!, failFast));
    client.on("error", this.#onError);
    if (options.sentinel && client instanceof Redis) {
      reviveOnUnexpectedEnd(client, () => this.#closed, maxDelay);
    }
    this.#connection = watchConnectionState(
      client,
      options.onStateChange ?? (() => {}),
      () => this.#closed,
    );
    client.defineCommand("llmCacheSet", { lua: SET_SCRIPT });
    client.defineCommand("llmCacheDelete", { lua: DELETE_SCRIPT });
    client.defineCommand("llmCacheDeleteTag", { lua: DELETE_TAG_SCRIPT });
    client.defineCommand("llmCacheGetWithin", { lua: GET_WITHIN_SCRIPT });
    this.#client = client as ScriptedRedis;

    if (options.subscribe === false) {
      this.#subscribed = Promise.resolve();
      return;
    }
    // The subscriber may queue: SUBSCRIBE must survive a start before Redis is up.
    // A Cluster's needs no keepSubscribed: ioredis's ClusterSubscriber never reconnects
    // its connection (`retryStrategy: null`, so the unhandled autoResubscribe of
    // redis/ioredis#2187 never runs); it replaces it on `end` and subscribes the new one
    // itself, catching a refusal (test/cluster-resubscribe.test.ts). It reports that
    // refusal nowhere, though: not to `onError`.
    const subscriber =
      client instanceof Cluster
        ? client.duplicate(undefined, { enableOfflineQueue: true })
        : client.duplicate({
            enableOfflineQueue: true,
            commandTimeout: undefined,
            // Renewed by keepSubscribed, whose SUBSCRIBE failures are handled.
            autoResubscribe: false,
          });
    subscriber.on("error", this.#onError);
    if (options.sentinel && subscriber instanceof Redis) {
      reviveOnUnexpectedEnd(subscriber, () => this.#closed, maxDelay);
    }
    subscriber.on("message", (channel: string, message: string) => this.#deliver(channel, message));
    this.#subscriber = subscriber;
    this.#subscribed =
      subscriber instanceof Redis
        ? keepSubscribed(subscriber, this.#channel, this.#onError, () => this.#closed)
        : subscriber.subscribe(this.#channel).then(
            () => undefined,
            (error: unknown) => this.#onError(error),
          );
  }

  /** `"up"` or `"down"` since the last transition; `undefined` before the first connection settles. */
  get state(): StoreState | undefined {
    return this.#connection.state;
  }

  /**
   * Resolves once the connection is ready and the invalidation channel
   * subscribed; rejects with a `RedisTLSError` when the TLS handshake fails
   * (a refused certificate does not fix itself; ioredis still reconnects).
   */
  async ready(): Promise<void> {
    await readyOrTLSFailure(this.#client);
    await this.#subscribed;
  }

  // Every operation fails with a RedisStoreError (the operation, retryable or not, ioredis's error as cause).

  get(key: string): Promise<string | undefined> {
    return this.#attempt("get", async () => {
      const [value] = await this.#client.llmCacheGetWithin(
        1,
        this.#entry(key),
        this.#maxEntryBytes,
      );
      return this.#within("get", key, value);
    });
  }

  getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return this.#attempt("getMany", async () => {
      if (keys.length === 0) return [];
      const values = await this.#client.llmCacheGetWithin(
        keys.length,
        ...keys.map((key) => this.#entry(key)),
        this.#maxEntryBytes,
      );
      return keys.map((key, i) => this.#within("getMany", key, values[i]));
    });
  }

  /** A read's reply: the value, or a miss for none — or for one over the bound, reported. */
  #within(
    operation: string,
    key: string,
    reply: string | number | null | undefined,
  ): string | undefined {
    if (typeof reply === "string") return reply;
    if (typeof reply === "number") {
      this.#onError(
        new RedisStoreError(
          operation,
          `RedisStore ${operation}: entry ${key} is ${reply} bytes, more than maxEntryBytes ${this.#maxEntryBytes}; read as a miss`,
          { retryable: false },
        ),
      );
    }
    return undefined;
  }

  set(key: string, value: string, options: StoreSetOptions = {}): Promise<void> {
    return this.#attempt("set", async () => {
      await this.#client.llmCacheSet(2, ...this.#setArgs({ key, value, ...options }));
    });
  }

  setMany(entries: readonly StoreEntry[]): Promise<void> {
    return this.#attempt("setMany", async () => {
      if (entries.length === 0) return;
      const pipeline = this.#client.pipeline() as ScriptedPipeline;
      for (const entry of entries) pipeline.llmCacheSet(2, ...this.#setArgs(entry));
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed) throw failed[0];
    });
  }

  /** The Redis key holding `key`'s entry (for tools and tests that look at Redis directly). */
  entryKey(key: string): string {
    return this.#entry(key);
  }

  delete(key: string): Promise<boolean> {
    return this.#attempt("delete", async () => {
      // Every script names one key of the namespace's slot, so a Cluster routes it to the right node.
      const count = await this.#client.llmCacheDelete(1, this.#entry(key), this.#prefix, key);
      await this.#publish({ type: "key", key });
      return count > 0;
    });
  }

  deleteByPrefix(prefix: string): Promise<number> {
    return this.#attempt("deleteByPrefix", async () => {
      const entryPrefix = this.#entry("");
      let count = 0;
      for await (const keys of this.#scan(`${entryPrefix}${escapeGlob(prefix)}*`)) {
        const logical = keys.map((k) => k.slice(entryPrefix.length));
        for (let i = 0; i < logical.length; i += DELETE_BATCH) {
          const batch = logical.slice(i, i + DELETE_BATCH);
          count += await this.#client.llmCacheDelete(
            1,
            this.#entry(batch[0] as string),
            this.#prefix,
            ...batch,
          );
        }
      }
      await this.#publish({ type: "prefix", prefix });
      return count;
    });
  }

  deleteByTag(tag: string): Promise<number> {
    return this.#attempt("deleteByTag", async () => {
      const count = await this.#client.llmCacheDeleteTag(
        1,
        `${this.#prefix}t:${tag}`,
        this.#prefix,
        tag,
      );
      await this.#publish({ type: "tag", tag });
      return count;
    });
  }

  /** Deletes every key of this namespace (entries, tag sets). */
  clear(): Promise<void> {
    return this.#attempt("clear", async () => {
      for await (const keys of this.#scan(`${escapeGlob(this.#prefix)}*`)) {
        if (keys.length > 0) await this.#client.unlink(...keys);
      }
      await this.#publish({ type: "clear" });
    });
  }

  subscribe(listener: InvalidationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Quits the subscriber connection, and the main one when this store created it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    const connections = [
      ...(this.#subscriber ? [this.#subscriber] : []),
      ...(this.#ownsClient ? [this.#client] : []),
    ];
    await Promise.all(connections.map(quit));
  }

  async #attempt<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toRedisStoreError(operation, error);
    }
  }

  #entry(key: string): string {
    return `${this.#prefix}e:${key}`;
  }

  #setArgs(entry: StoreEntry): (string | number)[] {
    const ttl = entry.ttlMs === undefined ? "" : Math.max(1, Math.ceil(entry.ttlMs));
    return [
      this.#entry(entry.key),
      `${this.#prefix}m:${entry.key}`,
      entry.value,
      ttl,
      `${this.#prefix}t:`,
      ...(entry.tags ?? []),
    ];
  }

  /** SCAN on every node that may hold the namespace: the one server, or each Cluster primary. */
  async *#scan(pattern: string): AsyncGenerator<string[]> {
    const nodes = this.#client instanceof Cluster ? this.#client.nodes("master") : [this.#client];
    for (const node of nodes) {
      let cursor = "0";
      do {
        const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", SCAN_COUNT);
        cursor = next;
        yield keys;
      } while (cursor !== "0");
    }
  }

  async #publish(invalidation: StoreInvalidation): Promise<void> {
    // A Cluster sends a keyless command to any node, and messages published on
    // different nodes may overtake each other on the cluster bus: one node keeps
    // this instance's invalidations in the order they happened.
    const via =
      this.#client instanceof Cluster
        ? (this.#client.nodes("master")[0] ?? this.#client)
        : this.#client;
    await via.publish(this.#channel, encodeInvalidation(this.origin, invalidation));
  }

  #deliver(channel: string, message: string): void {
    if (channel !== this.#channel) return;
    const decoded = decodeInvalidation(message);
    if (decoded === undefined) {
      this.#onError(new Error(`RedisStore ignored a malformed message on ${channel}`));
      return;
    }
    if (decoded.origin === this.origin) return;
    for (const listener of this.#listeners) listener(decoded.invalidation);
  }
}

/** SCAN MATCH treats `* ? [ ] \` specially; a prefix must match literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
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
