import {
  type CallOptions,
  type EmbeddingClient,
  type EmbeddingRequest,
  type EmbeddingResponse,
  embedMany,
  settleWithin,
} from "@llm/core";
import { type KeyScopeOptions, keyScope } from "../key/key-scope.js";
import { switchesAccount } from "../middleware/cache-middleware.js";
import { callMode } from "../middleware/cache-policy.js";
import { BackgroundWrites, dropCorruptEntry } from "../middleware/entry-upkeep.js";
import type { L1Cache } from "../tiered/l1-cache.js";
import { type CorruptEntryEvent, TieredCache } from "../tiered/tiered-cache.js";
import {
  type CachedEmbedding,
  cachedEmbeddingProblem,
  EMBEDDING_VERSION,
} from "./cached-embedding.js";
import { embeddingKeys } from "./embedding-key.js";

export interface EmbeddingCacheOptions extends KeyScopeOptions {
  /**
   * Where vectors live: a `TieredCache` (L1 + an L2 store) built with
   * `codec: embeddingCodec`, or a bare `SmartCache` (L1 only).
   */
  cache: TieredCache<CachedEmbedding> | L1Cache<CachedEmbedding>;
  /** Tenant / app namespace: prefixes every key, as on chat keys. */
  namespace?: string;
  /** TTL of stored vectors; default the cache's own. */
  ttlMs?: number;
  /** Told once about each entry read back unusable (it is then a miss, deleted and counted). */
  onCorrupt?(event: CorruptEntryEvent): void;
  now?: () => number;
}

export interface EmbeddingCacheStats {
  /** Texts looked up (a bypassed call looks up none). */
  lookups: number;
  hits: { l1: number; l2: number };
  misses: number;
  /** `embedBatch` calls that reached the wrapped client (each may be several upstream batches). */
  upstreamCalls: number;
  stored: number;
  /** Entries refused by the check here (a `TieredCache` counts what it refuses in its own stats). */
  corrupt: number;
  bypassed: number;
  /** Missing texts answered by a concurrent call's upstream fetch (single-flight). */
  joined: number;
}

/** An `EmbeddingClient` that answers seen texts from the cache; see `cachedEmbeddings`. */
export interface CachedEmbeddingClient extends EmbeddingClient {
  stats(): EmbeddingCacheStats;
  /** Resolves when every background L2 write has finished (tests, shutdown). */
  flush(): Promise<void>;
}

/**
 * Caches an `EmbeddingClient` per input text: embeddings are deterministic,
 * so each text's vector is stored under its own key, scoped exactly like a
 * chat key (`cacheScope` instance, optional credential tag, namespace) plus
 * model, dimensions and provider options.
 *
 * A batch is answered from L1, then L2 (read in parallel), and only the
 * texts still missing go upstream — once each (a text another call is
 * fetching right now is waited for, not sent again), in input order, through
 * `embedMany` on the wrapped client, so they are batched to its limit. 100
 * texts of which 90 were seen make one upstream call for the 10 new ones.
 * The answer's `usage` counts only what went upstream; `cached` says how
 * many vectors came from the cache.
 *
 * Vectors are stored as `Float32Array`s (4 bytes a dimension in L1, base64
 * of the same bytes in L2) and handed out as copies, so a caller that
 * writes into its vector cannot change the cache. The cache never fails a
 * call: a damaged entry is a miss, reported and deleted; L2 trouble is
 * absorbed by `TieredCache`. `options.metadata.cache` (`false`, `"bypass"`,
 * `"refresh"`) works as on chat calls.
 */
export function cachedEmbeddings(
  client: EmbeddingClient,
  options: EmbeddingCacheOptions,
): CachedEmbeddingClient {
  const { cache, namespace } = options;
  const tiered = cache instanceof TieredCache ? cache : undefined;
  const now = options.now ?? Date.now;
  const scopeOf = keyScope(options);
  const needsScope = options.scope === "credential";
  const writes = new BackgroundWrites();
  /** Texts being fetched upstream right now, by key: a concurrent call waits for them. */
  const flights = new Map<string, Promise<Float32Array>>();
  const stats: EmbeddingCacheStats = {
    lookups: 0,
    hits: { l1: 0, l2: 0 },
    misses: 0,
    upstreamCalls: 0,
    stored: 0,
    corrupt: 0,
    bypassed: 0,
    joined: 0,
  };

  const bypasses = (callOptions: CallOptions | undefined): boolean =>
    callMode(callOptions ?? {}) === "bypass" ||
    (needsScope && client.cacheScope === undefined) ||
    (callOptions?.headers !== undefined && switchesAccount(callOptions.headers, needsScope));

  function drop(key: string, level: "l1" | "l2", reason: string): void {
    stats.corrupt++;
    dropCorruptEntry({ key, level, reason }, cache, tiered, writes, options.onCorrupt);
  }

  /** A usable stored vector of `dimensions` (when asked for), else `undefined` (and a bad one dropped). */
  function usable(key: string, value: unknown, level: "l1" | "l2", dimensions: number | undefined) {
    const problem =
      cachedEmbeddingProblem(value) ??
      (dimensions !== undefined && (value as CachedEmbedding).vector.length !== dimensions
        ? `embedding.vector: ${(value as CachedEmbedding).vector.length} dimensions, expected ${dimensions}`
        : undefined);
    if (problem === undefined) return value as CachedEmbedding;
    drop(key, level, problem);
    return undefined;
  }

  function readL1(key: string, dimensions: number | undefined): CachedEmbedding | undefined {
    let value: unknown;
    try {
      value = tiered ? tiered.lookupL1(key)?.value : cache.get(key);
    } catch (error) {
      drop(key, "l1", `entry did not decode (${error instanceof Error ? error.name : "error"})`);
      return undefined;
    }
    return value === undefined ? undefined : usable(key, value, "l1", dimensions);
  }

  async function readL2(key: string, dimensions: number | undefined) {
    const hit = await tiered?.lookupL2(key);
    return hit === undefined ? undefined : usable(key, hit.value, "l2", dimensions);
  }

  function store(key: string, model: string, vector: Float32Array): void {
    const entry: CachedEmbedding = {
      v: EMBEDDING_VERSION,
      model,
      storedAt: now(),
      vector: vector.slice(),
    };
    const setOptions = options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs };
    try {
      if (tiered) writes.track(tiered.set(key, entry, setOptions));
      else cache.set(key, entry, setOptions);
      stats.stored++;
    } catch {
      // a full or failing L1 must not fail a call whose answer we have
    }
  }

  async function embedBatch(
    request: EmbeddingRequest,
    callOptions?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const model = request.model ?? client.model;
    if (model === undefined || bypasses(callOptions)) {
      stats.bypassed++;
      return embedUpstream(request.inputs, request, callOptions);
    }
    const inputs = request.inputs;
    const keys = embeddingKeys(inputs, {
      provider: client.provider,
      model,
      scope: scopeOf(client),
      dimensions: request.dimensions,
      providerOptions: request.providerOptions,
      namespace,
    });
    const refresh = callMode(callOptions ?? {}) === "refresh";
    const found = new Array<CachedEmbedding | undefined>(inputs.length);
    stats.lookups += inputs.length;
    if (!refresh) {
      const remote: number[] = [];
      for (let i = 0; i < inputs.length; i++) {
        const hit = readL1(keys[i] as string, request.dimensions);
        if (hit !== undefined) {
          found[i] = hit;
          stats.hits.l1++;
        } else if (tiered?.l2) remote.push(i);
      }
      const fromL2 = await Promise.all(
        remote.map((i) => readL2(keys[i] as string, request.dimensions)),
      );
      remote.forEach((i, n) => {
        const hit = fromL2[n];
        if (hit !== undefined) {
          found[i] = hit;
          stats.hits.l2++;
        }
      });
    }

    // Each missing text goes upstream once, however often it appears in the batch — and not
    // at all while a concurrent call is already fetching it (single-flight per text).
    const own: Pending[] = [];
    const joined: (Pending & { flight: Promise<Float32Array> })[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < inputs.length; i++) {
      if (found[i] !== undefined) continue;
      stats.misses++;
      const key = keys[i] as string;
      if (seen.has(key)) continue;
      seen.add(key);
      const pending = { key, text: inputs[i] as string };
      const flight = flights.get(key);
      if (flight === undefined) own.push(pending);
      else joined.push({ ...pending, flight });
    }

    const response: EmbeddingResponse = {
      provider: client.provider,
      model,
      embeddings: new Array<Float32Array>(inputs.length),
      usage: { inputTokens: 0 },
      cached: 0,
    };
    const vectorOf = new Map<string, Float32Array>();
    const fetch = async (batch: Pending[]): Promise<void> => {
      if (batch.length === 0) return;
      const settles = batch.map(({ key }) => {
        const flight = settleable();
        flights.set(key, flight.promise);
        return flight;
      });
      try {
        const upstream = await embedUpstream(
          batch.map((p) => p.text),
          request,
          callOptions,
        );
        response.model = upstream.model;
        response.usage.inputTokens += upstream.usage.inputTokens;
        batch.forEach(({ key }, n) => {
          const vector = upstream.embeddings[n] as Float32Array;
          store(key, upstream.model, vector);
          vectorOf.set(key, vector);
          settles[n]?.resolve(vector);
        });
      } catch (error) {
        for (const flight of settles) flight.reject(error);
        throw error;
      } finally {
        batch.forEach(({ key }, n) => {
          if (flights.get(key) === settles[n]?.promise) flights.delete(key);
        });
      }
    };
    const joinFlights = async (): Promise<void> => {
      if (joined.length === 0) return;
      // A caller waiting on another's fetch still stops (AbortError) when told.
      const settled = await settleWithin(Promise.allSettled(joined.map((j) => j.flight)), {
        signal: callOptions?.signal,
      });
      // A flight whose own caller gave up (aborted, failed) is fetched again, here.
      const again: Pending[] = [];
      settled.forEach((outcome, n) => {
        const pending = joined[n] as Pending;
        if (outcome.status === "fulfilled") {
          vectorOf.set(pending.key, outcome.value);
          stats.joined++;
        } else again.push(pending);
      });
      await fetch(again);
    };
    await Promise.all([fetch(own), joinFlights()]);

    for (let i = 0; i < inputs.length; i++) {
      const hit = found[i];
      if (hit === undefined) {
        response.embeddings[i] = (vectorOf.get(keys[i] as string) as Float32Array).slice();
        continue;
      }
      response.embeddings[i] = hit.vector.slice();
      response.cached = (response.cached ?? 0) + 1;
    }
    return response;
  }

  async function embedUpstream(
    texts: readonly string[],
    request: EmbeddingRequest,
    callOptions: CallOptions | undefined,
  ): Promise<EmbeddingResponse> {
    stats.upstreamCalls++;
    const result = await embedMany(client, texts, {
      ...callOptions,
      ...(request.model === undefined ? {} : { model: request.model }),
      ...(request.dimensions === undefined ? {} : { dimensions: request.dimensions }),
      ...(request.providerOptions === undefined
        ? {}
        : { providerOptions: request.providerOptions }),
    });
    return {
      provider: result.provider,
      model: result.model,
      embeddings: result.embeddings,
      usage: result.usage,
      cached: result.cached,
    };
  }

  return {
    provider: client.provider,
    ...(client.model === undefined ? {} : { model: client.model }),
    ...(client.cacheScope === undefined ? {} : { cacheScope: client.cacheScope }),
    ...(client.maxParallelCalls === undefined ? {} : { maxParallelCalls: client.maxParallelCalls }),
    // Misses are batched to the wrapped client's limit by `embedMany`: this client takes any number.
    maxInputsPerCall: Number.MAX_SAFE_INTEGER,
    embedBatch,
    stats: () => ({ ...stats, hits: { ...stats.hits } }),
    flush: async () => {
      await writes.flush();
    },
  };
}

const noop = () => {};

interface Pending {
  key: string;
  text: string;
}

/** A promise settled from outside; an unobserved rejection (no call joined it) is not reported. */
function settleable(): {
  promise: Promise<Float32Array>;
  resolve(vector: Float32Array): void;
  reject(error: unknown): void;
} {
  let resolve!: (vector: Float32Array) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<Float32Array>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(noop);
  return { promise, resolve, reject };
}
