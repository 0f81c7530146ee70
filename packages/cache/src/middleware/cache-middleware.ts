import type {
  ChatRequest,
  ChatResponse,
  GenerateContext,
  LLMClient,
  Middleware,
  ResponseOrigin,
  StreamContext,
  StreamEvent,
} from "@llm/core";
import { requestKey } from "../key/request-key.js";
import { type LLMCacheStats, LLMCacheStatsRecorder } from "../stats/llm-cache-stats.js";
import type { PricingTable } from "../stats/pricing.js";
import type { L1Cache } from "../tiered/l1-cache.js";
import { type CorruptEntryEvent, TieredCache } from "../tiered/tiered-cache.js";
import { type CachePolicy, callMode, defaultStorable, isDeterministic } from "./cache-policy.js";
import {
  ANSWER_VERSION,
  answerToEvents,
  answerToResponse,
  type CachedAnswer,
  cachedAnswerProblem,
  responseToEvents,
} from "./cached-answer.js";
import { Flight } from "./flight.js";
import type { AnswerLimits } from "./validate-answer.js";

export interface CacheMiddlewareOptions {
  /** A `TieredCache` (L1 + L2) or a bare `SmartCache` (L1 only) of `CachedAnswer`s. */
  cache: TieredCache<CachedAnswer> | L1Cache<CachedAnswer>;
  /** Tenant / app namespace: prefixes every key (`"<namespace>:<sha256>"`). */
  namespace?: string;
  /** TTL of stored answers when the policy gives none. Default: the cache's own default. */
  ttlMs?: number;
  policy?: CachePolicy;
  /** Also cache requests with `temperature > 0` (ignored when `policy.cacheable` is given). */
  allowNonDeterministic?: boolean;
  /** Prices per model, for `stats().costSaved`. */
  pricing?: PricingTable;
  onHit?(event: CacheHitEvent): void;
  onMiss?(event: CacheMissEvent): void;
  /**
   * Told once about each entry read back unusable by the middleware's own
   * check (a `TieredCache` reports what it refuses from L2 through its own
   * `onCorrupt`). The entry is then a miss, deleted, and counted in
   * `stats().corrupt`.
   */
  onCorrupt?(event: CorruptEntryEvent): void;
  /** Bounds on a stored answer (events, parts, tool calls, JSON depth); defaults in `AnswerLimits`. */
  limits?: AnswerLimits;
  now?: () => number;
}

export interface CacheHitEvent {
  key: string;
  level: string;
  ageMs: number;
  request: ChatRequest;
}

export interface CacheMissEvent {
  key: string;
  request: ChatRequest;
  /** True when the request joined an identical call already in flight. */
  coalesced: boolean;
}

/** The middleware value, plus its statistics. */
export interface CacheMiddleware extends Middleware {
  readonly name: "cache";
  stats(): LLMCacheStats;
  /** The key a request gets when sent through `client` (the same one `origin.key` shows). */
  keyOf(request: ChatRequest, client: Pick<LLMClient, "provider" | "model">): string;
  /** Resolves when every background L2 write has finished (tests, shutdown). */
  flush(): Promise<void>;
}

interface Lookup {
  answer: CachedAnswer;
  level: "l1" | "l2";
}

interface Hit {
  answer: CachedAnswer;
  origin: ResponseOrigin;
  response: ChatResponse;
}

/**
 * Caches the answers of an `LLMClient` (see README "cacheMiddleware").
 *
 * - Key: `requestKey` over the fields that change the answer; shown as
 *   `origin.key` on hits and `providerMetadata.cacheKey` on generated misses.
 * - Hits: `origin: { type: "cache", level, key, ageMs }`; a hit stream replays
 *   the recorded events with `start.origin` so marked.
 * - Misses: concurrent identical requests share ONE upstream call, generate
 *   and stream alike; only complete, successful answers are stored.
 * - The cache can never fail a request: a damaged entry is a miss, and an L2
 *   outage is absorbed by `TieredCache`.
 */
export function cacheMiddleware(options: CacheMiddlewareOptions): CacheMiddleware {
  const { cache, namespace, policy } = options;
  const tiered = cache instanceof TieredCache ? cache : undefined;
  const now = options.now ?? Date.now;
  const stats = new LLMCacheStatsRecorder(options.pricing);
  const flights = new Map<string, Flight>();
  const writes = new Set<Promise<void>>();

  const cacheable =
    policy?.cacheable?.bind(policy) ??
    ((request: ChatRequest) => options.allowNonDeterministic === true || isDeterministic(request));
  const storable = policy?.storable?.bind(policy) ?? defaultStorable;

  const keyOf = (request: ChatRequest, client: Pick<LLMClient, "provider" | "model">): string =>
    requestKey(request, {
      provider: client.provider,
      ...(client.model === undefined ? {} : { model: client.model }),
      ...(namespace === undefined ? {} : { namespace }),
    });

  /**
   * The L1 half of a lookup, synchronous so that an L1 hit — the common
   * case — costs no promise. On `undefined`, ask L2 (`lookupRemote`).
   */
  function lookupLocal(key: string): Lookup | undefined {
    let value: unknown;
    try {
      if (tiered) {
        const hit = tiered.lookupL1(key);
        if (hit === undefined) return undefined;
        value = hit.value;
      } else {
        value = cache.get(key);
        if (value === undefined) return undefined;
      }
    } catch (error) {
      // Only a bare L1 whose codec cannot decode its own entry gets here (TieredCache absorbs it).
      dropCorrupt(
        key,
        "l1",
        `entry did not decode (${error instanceof Error ? error.name : "error"})`,
      );
      return undefined;
    }
    return accept(key, value, "l1");
  }

  async function lookupRemote(key: string): Promise<Lookup | undefined> {
    const hit = await tiered?.lookupL2(key);
    return hit === undefined ? undefined : accept(key, hit.value, hit.level);
  }

  /** Checked in depth once per object: a trusted in-memory object costs a WeakSet lookup. */
  function accept(key: string, value: unknown, level: "l1" | "l2"): Lookup | undefined {
    const problem = cachedAnswerProblem(value, options.limits);
    if (problem === undefined) return { answer: value as CachedAnswer, level };
    dropCorrupt(key, level, problem);
    return undefined;
  }

  /** Damaged or written by another version: a miss, counted, reported once, and out it goes. */
  function dropCorrupt(key: string, level: "l1" | "l2", reason: string): void {
    stats.corrupt++;
    try {
      options.onCorrupt?.({ key, level, reason });
    } catch {
      // a reporting callback must not fail the call
    }
    if (tiered) track(tiered.delete(key).then(noop, noop));
    else {
      try {
        cache.delete(key);
      } catch {
        // its eviction listener may decode it again; it is gone all the same
      }
    }
  }

  function track(write: Promise<void>): void {
    writes.add(write);
    void write.finally(() => writes.delete(write));
  }

  /**
   * Reads the cache; counts and reports a hit. Returns the hit itself when
   * L1 has it (no promise on the hot path), else a promise for the L2 read.
   */
  function read(
    key: string,
    request: ChatRequest,
    mode: string,
  ): Hit | undefined | Promise<Hit | undefined> {
    stats.lookups++;
    if (mode === "refresh") return undefined;
    const local = lookupLocal(key);
    if (local !== undefined) return hitFrom(key, request, local);
    if (!tiered?.l2) return undefined;
    return lookupRemote(key).then((remote) =>
      remote === undefined ? undefined : hitFrom(key, request, remote),
    );
  }

  function hitFrom(key: string, request: ChatRequest, hit: Lookup): Hit {
    const ageMs = Math.max(0, now() - hit.answer.storedAt);
    const origin: ResponseOrigin = { type: "cache", level: hit.level, key, ageMs };
    const response = answerToResponse(hit.answer, origin);
    stats.hit(hit.level, response.model, response.usage);
    options.onHit?.({ key, level: hit.level, ageMs, request });
    return { answer: hit.answer, origin, response };
  }

  function missed(key: string, request: ChatRequest, coalesced: boolean): void {
    stats.misses++;
    options.onMiss?.({ key, request, coalesced });
  }

  /** Stores a finished flight's answer if policy allows; removes the flight. */
  function land(
    key: string,
    flight: Flight,
    request: ChatRequest,
    answer: CachedAnswer | undefined,
  ): void {
    try {
      if (answer === undefined) {
        stats.notStored++;
        return;
      }
      const response = answerToResponse(answer, { type: "upstream" });
      stats.upstream(response.model, now() - flight.startedAt);
      if (!storable(response, request)) {
        stats.notStored++;
        return;
      }
      const ttlMs = policy?.ttlMs?.(request, response) ?? options.ttlMs;
      const tags = policy?.tags?.(request, response);
      const setOptions = {
        ...(ttlMs === undefined ? {} : { ttlMs }),
        ...(tags?.length ? { tags } : {}),
      };
      // L1 is written synchronously inside set(); only the L2 write runs on.
      if (tiered) track(tiered.set(key, answer, setOptions));
      else cache.set(key, answer, setOptions);
      stats.stored++;
    } catch {
      // A throwing policy callback or L1 must not turn a good answer into a
      // failed request (nor into an unhandled rejection): just do not store.
      stats.notStored++;
    } finally {
      flights.delete(key);
    }
  }

  function startGenerate(key: string, ctx: GenerateContext): Flight {
    const flight = new Flight("generate", now());
    flights.set(key, flight);
    stats.upstreamCalls++;
    let upstream: Promise<ChatResponse>;
    try {
      upstream = ctx.next(ctx.request, { ...ctx.options, signal: flight.controller.signal });
    } catch (error) {
      upstream = Promise.reject(error); // a client that throws synchronously must not strand the flight
    }
    upstream.then(
      (response) => {
        const { origin: _origin, ...rest } = response;
        const answer: CachedAnswer = {
          v: ANSWER_VERSION,
          kind: "response",
          storedAt: now(),
          response: { ...rest, origin: { type: "upstream" } },
        };
        flight.succeed(response);
        land(key, flight, ctx.request, answer);
      },
      (error: unknown) => {
        flight.fail(error);
        land(key, flight, ctx.request, undefined);
      },
    );
    return flight;
  }

  function startStream(key: string, ctx: StreamContext): Flight {
    const flight = new Flight("stream", now());
    flights.set(key, flight);
    stats.upstreamCalls++;
    void (async () => {
      let finished = false;
      let failedInBand = false;
      try {
        for await (const event of ctx.next(ctx.request, {
          ...ctx.options,
          signal: flight.controller.signal,
        })) {
          if (event.type === "finish") finished = event.finishReason !== "error";
          if (event.type === "error") failedInBand = true;
          flight.push(event);
        }
      } catch (error) {
        flight.fail(error);
        land(key, flight, ctx.request, undefined);
        return;
      }
      flight.succeed();
      // A retry that restarts a stream after content (`retryStreamsAfterContent`)
      // yields a second `start`: only the last attempt is the answer to keep.
      const lastStart = flight.events.findLastIndex((event) => event.type === "start");
      const complete = finished && !failedInBand && lastStart >= 0;
      land(
        key,
        flight,
        ctx.request,
        complete
          ? {
              v: ANSWER_VERSION,
              kind: "stream",
              storedAt: now(),
              events: flight.events.slice(lastStart),
            }
          : undefined,
      );
    })();
    return flight;
  }

  /** The response a generate caller gets from a flight (its own or joined). */
  async function generateFrom(
    flight: Flight,
    key: string,
    signal: AbortSignal | undefined,
  ): Promise<ChatResponse> {
    const detach = flight.attach();
    try {
      await flight.wait(signal);
    } finally {
      detach();
    }
    const response =
      flight.response ?? answerToResponse(streamAnswer(flight), { type: "upstream" });
    return { ...response, providerMetadata: { ...response.providerMetadata, cacheKey: key } };
  }

  return {
    name: "cache",
    stats() {
      const snapshot = stats.snapshot();
      if (tiered) {
        // Entries the TieredCache refused (L2 damage, forgery, its validate) never reach us.
        const levels = tiered.stats();
        snapshot.corrupt += levels.l1.corrupt + levels.l2.corrupt;
      }
      return snapshot;
    },
    keyOf,
    async flush() {
      while (writes.size > 0) await Promise.all([...writes]);
    },

    async wrapGenerate(ctx: GenerateContext): Promise<ChatResponse> {
      const mode = callMode(ctx.options);
      if (mode === "bypass" || !cacheable(ctx.request, ctx.options)) {
        stats.bypassed++;
        return ctx.next();
      }
      const key = keyOf(ctx.request, ctx.client);
      const found = read(key, ctx.request, mode);
      const hit = found instanceof Promise ? await found : found;
      if (hit !== undefined) return hit.response;

      const running = flights.get(key);
      missed(key, ctx.request, running !== undefined);
      if (running !== undefined) {
        const response = await generateFrom(running, key, ctx.options.signal);
        stats.joined(response.model, response.usage);
        return response;
      }
      return generateFrom(startGenerate(key, ctx), key, ctx.options.signal);
    },

    wrapStream(ctx: StreamContext): AsyncIterable<StreamEvent> {
      return streamThrough(ctx);
    },
  };

  async function* streamThrough(ctx: StreamContext): AsyncGenerator<StreamEvent> {
    const mode = callMode(ctx.options);
    if (mode === "bypass" || !cacheable(ctx.request, ctx.options)) {
      stats.bypassed++;
      yield* ctx.next();
      return;
    }
    const key = keyOf(ctx.request, ctx.client);
    const found = read(key, ctx.request, mode);
    const hit = found instanceof Promise ? await found : found;
    if (hit !== undefined) {
      yield* answerToEvents(hit.answer, hit.origin);
      return;
    }
    const running = flights.get(key);
    missed(key, ctx.request, running !== undefined);
    const flight = running ?? startStream(key, ctx);
    const detach = flight.attach();
    try {
      if (flight.kind === "generate") {
        // Joined a generate call: wait for its response, then replay it as a stream.
        await flight.wait(ctx.options.signal);
        yield* responseToEvents(flight.response!, flight.response!.origin);
      } else {
        yield* flight.read(ctx.options.signal);
      }
      if (running !== undefined) {
        const response =
          flight.response ?? answerToResponse(streamAnswer(flight), { type: "upstream" });
        stats.joined(response.model, response.usage);
      }
    } finally {
      detach();
    }
  }
}

const noop = () => {};

function streamAnswer(flight: Flight): CachedAnswer {
  return { v: ANSWER_VERSION, kind: "stream", storedAt: 0, events: flight.events };
}
