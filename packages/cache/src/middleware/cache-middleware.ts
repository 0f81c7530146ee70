import {
  type ChatRequest,
  type ChatResponse,
  cacheHeaderRole,
  type GenerateContext,
  type LLMClient,
  type Middleware,
  type ResponseOrigin,
  type StreamContext,
  type StreamEvent,
} from "@llm/core";
import type { FlightCoordinator, FlightLease } from "../coordinator/flight-coordinator.js";
import type { FlightFallBackReason, FlightOutcome } from "../coordinator/flight-stats.js";
import { followFlight } from "../coordinator/follow-flight.js";
import { PrefixReconciler } from "../coordinator/prefix-reconciler.js";
import { type KeyScopeOptions, keyScope } from "../key/key-scope.js";
import { requestKey } from "../key/request-key.js";
import { type LLMCacheStats, LLMCacheStatsRecorder } from "../stats/llm-cache-stats.js";
import type { PricingTable } from "../stats/pricing.js";
import type { L1Cache } from "../tiered/l1-cache.js";
import { type CorruptEntryEvent, TieredCache } from "../tiered/tiered-cache.js";
import {
  type CacheCallMode,
  type CachePolicy,
  callMode,
  defaultCacheable,
  defaultStorable,
  type SamplingRule,
} from "./cache-policy.js";
import {
  ANSWER_VERSION,
  answerToEvents,
  answerToResponse,
  type CachedAnswer,
  cachedAnswerProblem,
  responseToEvents,
} from "./cached-answer.js";
import { BackgroundWrites, dropCorruptEntry } from "./entry-upkeep.js";
import { Flight } from "./flight.js";
import type { AnswerLimits } from "./validate-answer.js";

/**
 * What may differ between clients that share one cache middleware
 * (`withOptions`): how keys are scoped and what is stored for how long.
 */
export interface CacheClientOptions extends KeyScopeOptions, SamplingRule {
  /** Tenant / app namespace: prefixes every key (`"<namespace>:<sha256>"`). */
  namespace?: string;
  /** TTL of stored answers when the policy gives none. Default: the cache's own default. */
  ttlMs?: number;
  /** Replaces the default policy's decisions (its `cacheable` wins over the sampling rule). */
  policy?: CachePolicy;
}

export interface CacheMiddlewareOptions extends CacheClientOptions {
  /** A `TieredCache` (L1 + L2) or a bare `SmartCache` (L1 only) of `CachedAnswer`s. */
  cache: TieredCache<CachedAnswer> | L1Cache<CachedAnswer>;
  /** Prices per model, for `stats().costSaved`. */
  pricing?: PricingTable;
  onHit?(event: CacheHitEvent): void;
  onMiss?(event: CacheMissEvent): void;
  /** Each coordinated miss's end (with a `coordinator`); counted in `stats().flights` too. */
  onFlight?(event: CacheFlightEvent): void;
  /**
   * Told once about each entry read back unusable by the middleware's own
   * check (a `TieredCache` reports what it refuses from L2 through its own
   * `onCorrupt`). The entry is then a miss, deleted, and counted in
   * `stats().corrupt`.
   */
  onCorrupt?(event: CorruptEntryEvent): void;
  /** Bounds on a stored answer (events, parts, tool calls, JSON depth); defaults in `AnswerLimits`. */
  limits?: AnswerLimits;
  /**
   * Single-flight across processes (e.g. `RedisFlightCoordinator` from
   * `@llm/cache-redis`): asked after this middleware's own single-flight
   * misses, so one process makes at most one claim per key at a time. Only
   * with a `TieredCache` whose L2 the processes share: followers read the
   * leader's answer from it. `refresh` calls skip it.
   */
  coordinator?: FlightCoordinator;
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

/** How one coordinated miss ended for this process (`coordinator` set); see `FlightStats`. */
export interface CacheFlightEvent {
  key: string;
  outcome: FlightOutcome;
  /** Why this process made its own call (`outcome: "fell-back"` only). */
  reason?: FlightFallBackReason;
  /** How long it followed another process, ms (when it did). */
  waitMs?: number;
}

/** The middleware value, plus its statistics. */
export interface CacheMiddleware extends Middleware {
  readonly name: "cache";
  stats(): LLMCacheStats;
  /** The key a request gets when sent through `client` (the same one `origin.key` shows). */
  keyOf(request: ChatRequest, client: Pick<LLMClient, "provider" | "model" | "cacheScope">): string;
  /**
   * A middleware for another client with its own namespace, TTL, policy and
   * key scope, sharing this one's cache, single-flight and statistics:
   * `stats()` of either counts both. Settings not given are this one's.
   */
  withOptions(options: CacheClientOptions): CacheMiddleware;
  /** Resolves when every background L2 write has finished (tests, shutdown). */
  flush(): Promise<void>;
}

/** The per-client half of a cache middleware (see `withOptions`). */
interface ClientView {
  readonly settings: CacheClientOptions;
  readonly policy: CachePolicy | undefined;
  readonly ttlMs: number | undefined;
  cacheable(request: ChatRequest, options: GenerateContext["options"]): boolean;
  storable(response: ChatResponse, request: ChatRequest): boolean;
  keyOf(request: ChatRequest, client: Pick<LLMClient, "provider" | "model" | "cacheScope">): string;
  /** Under credential scope a client that cannot say who it is gets no cached answer. */
  needsScope: boolean;
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
 * - Key: `requestKey` over the fields that change the answer and the
 *   provider instance that answers (`client.cacheScope`, optionally with a
 *   keyed credential tag); shown as `origin.key` on hits and
 *   `providerMetadata.cacheKey` on generated misses.
 * - Hits: `origin: { type: "cache", level, key, ageMs }`; a hit stream replays
 *   the recorded events with `start.origin` so marked.
 * - Misses: concurrent identical requests share ONE upstream call, generate
 *   and stream alike — across processes too with a `coordinator`; only
 *   complete, successful answers are stored.
 * - The cache can never fail a request: a damaged entry is a miss, and an L2
 *   outage is absorbed by `TieredCache`.
 */
export function cacheMiddleware(options: CacheMiddlewareOptions): CacheMiddleware {
  const { cache } = options;
  const coordinator = options.coordinator;
  const tiered = cache instanceof TieredCache ? cache : undefined;
  const now = options.now ?? Date.now;
  const stats = new LLMCacheStatsRecorder(options.pricing);
  const flights = new Map<string, Flight>();
  const writes = new BackgroundWrites();

  /**
   * Per-client settings are computed once per view, never per call: the
   * scope text is memoised per client build inside `keyScope`.
   */
  function viewOf(settings: CacheClientOptions): ClientView {
    const { namespace, policy } = settings;
    const scopeOf = keyScope(settings);
    const sampling = defaultCacheable(settings);
    return {
      settings,
      policy,
      ttlMs: settings.ttlMs,
      cacheable: policy?.cacheable?.bind(policy) ?? sampling,
      storable: policy?.storable?.bind(policy) ?? defaultStorable,
      needsScope: settings.scope === "credential",
      // One small object per call; absent members are simply undefined.
      keyOf: (request, client) =>
        requestKey(request, {
          provider: client.provider,
          model: client.model,
          scope: scopeOf(client),
          namespace,
        }),
    };
  }

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
    dropCorruptEntry({ key, level, reason }, cache, tiered, writes, options.onCorrupt);
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

  /**
   * Stores a finished flight's answer if policy allows; removes the flight.
   * Returns the L2 write when there is one (a leader tells other processes
   * once it has landed), `undefined` when nothing went to a shared store.
   */
  function land(
    view: ClientView,
    key: string,
    flight: Flight,
    request: ChatRequest,
    answer: CachedAnswer | undefined,
  ): Promise<void> | undefined {
    try {
      if (answer === undefined) {
        stats.notStored++;
        return undefined;
      }
      const response = answerToResponse(answer, { type: "upstream" });
      stats.upstream(response.model, now() - flight.startedAt);
      if (!view.storable(response, request)) {
        stats.notStored++;
        return undefined;
      }
      const ttlMs = view.policy?.ttlMs?.(request, response) ?? view.ttlMs;
      const tags = view.policy?.tags?.(request, response);
      const setOptions = {
        ...(ttlMs === undefined ? {} : { ttlMs }),
        ...(tags?.length ? { tags } : {}),
      };
      // L1 is written synchronously inside set(); only the L2 write runs on.
      stats.stored++;
      if (!tiered) {
        cache.set(key, answer, setOptions);
        return undefined;
      }
      const written = tiered.set(key, answer, setOptions);
      writes.track(written);
      return tiered.l2 ? written : undefined;
    } catch {
      // A throwing policy callback or L1 must not turn a good answer into a
      // failed request (nor into an unhandled rejection): just do not store.
      stats.notStored++;
      return undefined;
    } finally {
      flights.delete(key);
    }
  }

  /**
   * The coordinator to consult for this call, if any: `refresh` forces its
   * own call, and without an L2 a follower could never read the answer.
   */
  function coordinatorFor(options: GenerateContext["options"]): FlightCoordinator | undefined {
    return coordinator && tiered?.l2 && callMode(options) !== "refresh" ? coordinator : undefined;
  }

  /** Another process's answer, read back from the shared store and validated. */
  const readStored = async (key: string) => (await lookupRemote(key))?.answer;

  /** How a coordinated miss ended: counters always, the event only when someone listens. */
  function recordFlight(
    key: string,
    outcome: FlightOutcome,
    reason: FlightFallBackReason | undefined,
    waitMs: number | undefined,
  ): void {
    stats.flights.record(outcome, reason, waitMs);
    const onFlight = options.onFlight;
    if (onFlight === undefined) return;
    const event: CacheFlightEvent = { key, outcome };
    if (outcome === "fell-back" && reason !== undefined) event.reason = reason;
    if (waitMs !== undefined) event.waitMs = waitMs;
    onFlight(event);
  }

  /** A flight another process answered: counted as joined, nothing stored again. */
  function served(key: string, flight: Flight): void {
    flights.delete(key);
    const response =
      flight.response ?? answerToResponse(streamAnswer(flight), { type: "upstream" });
    stats.joined(response.model, response.usage);
  }

  /** Tells followers in other processes how the leader's call ended (never throws). */
  async function release(lease: FlightLease | undefined, written: Promise<void> | undefined) {
    if (lease === undefined) return;
    if (written === undefined) {
      await lease.complete(false);
      return;
    }
    await written.then(
      () => lease.complete(true),
      () => lease.complete(false),
    );
  }

  function startGenerate(view: ClientView, key: string, ctx: GenerateContext): Flight {
    const flight = new Flight("generate", now());
    flights.set(key, flight);
    const shared = coordinatorFor(ctx.options);
    if (shared === undefined) {
      callGenerate(view, key, ctx, flight, undefined);
      return flight;
    }
    followFlight({
      coordinator: shared,
      key,
      kind: "generate",
      signal: flight.controller.signal,
      reconciler: new PrefixReconciler([], () => {}),
      readStored: () => readStored(key),
      record: (outcome, reason, waitMs) => recordFlight(key, outcome, reason, waitMs),
      now,
    }).then(
      (outcome) => {
        if (outcome.type === "call") {
          callGenerate(view, key, ctx, flight, outcome.lease);
          return;
        }
        flight.succeed(answerToResponse(outcome.answer!, { type: "upstream" }));
        served(key, flight);
      },
      (error: unknown) => {
        flight.fail(error);
        flights.delete(key);
      },
    );
    return flight;
  }

  function callGenerate(
    view: ClientView,
    key: string,
    ctx: GenerateContext,
    flight: Flight,
    lease: FlightLease | undefined,
  ): void {
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
        void release(lease, land(view, key, flight, ctx.request, answer));
      },
      (error: unknown) => {
        flight.fail(error);
        land(view, key, flight, ctx.request, undefined);
        void lease?.abandon();
      },
    );
  }

  function startStream(view: ClientView, key: string, ctx: StreamContext): Flight {
    const flight = new Flight("stream", now());
    flights.set(key, flight);
    const shared = coordinatorFor(ctx.options);
    // What this flight's callers have been shown: a restarted answer (after a
    // follow that broke off) only adds what lies beyond it.
    const reconciler = new PrefixReconciler(flight.events, (event) => flight.push(event));
    void (async () => {
      let lease: FlightLease | undefined;
      if (shared !== undefined) {
        try {
          const outcome = await followFlight({
            coordinator: shared,
            key,
            kind: "stream",
            signal: flight.controller.signal,
            reconciler,
            readStored: () => readStored(key),
            record: (outcome, reason, waitMs) => recordFlight(key, outcome, reason, waitMs),
            now,
          });
          if (outcome.type === "served") {
            flight.succeed();
            served(key, flight);
            return;
          }
          lease = outcome.lease;
        } catch (error) {
          flight.fail(error);
          flights.delete(key);
          return;
        }
      }
      await callStream(view, key, ctx, flight, reconciler, lease);
    })();
    return flight;
  }

  async function callStream(
    view: ClientView,
    key: string,
    ctx: StreamContext,
    flight: Flight,
    reconciler: PrefixReconciler,
    lease: FlightLease | undefined,
  ): Promise<void> {
    stats.upstreamCalls++;
    reconciler.restart();
    // This call's own events: what followers replay and what is stored, even
    // when the reconciler shows the local callers only their tail.
    const attempt: StreamEvent[] = [];
    let finished = false;
    let failedInBand = false;
    let diverged: unknown;
    try {
      for await (const event of ctx.next(ctx.request, {
        ...ctx.options,
        signal: flight.controller.signal,
      })) {
        if (event.type === "finish") finished = event.finishReason !== "error";
        if (event.type === "error") failedInBand = true;
        attempt.push(event);
        lease?.publish(event);
        if (diverged !== undefined) continue;
        try {
          reconciler.accept(event);
        } catch (error) {
          // The local callers cannot be shown this answer; other processes
          // (following this call from its start) and the store still can.
          diverged = error;
          flight.fail(error);
        }
      }
    } catch (error) {
      flight.fail(error);
      land(view, key, flight, ctx.request, undefined);
      void lease?.abandon();
      return;
    }
    flight.succeed();
    // A retry that restarts a stream after content (`retryStreamsAfterContent`)
    // yields a second `start`: only the last attempt is the answer to keep.
    const lastStart = attempt.findLastIndex((event) => event.type === "start");
    const complete = finished && !failedInBand && lastStart >= 0;
    const written = land(
      view,
      key,
      flight,
      ctx.request,
      complete
        ? {
            v: ANSWER_VERSION,
            kind: "stream",
            storedAt: now(),
            events: attempt.slice(lastStart),
          }
        : undefined,
    );
    await release(lease, written);
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

  /**
   * Not cached: the caller said so, the policy says so, (credential scope)
   * nobody is identified, or the call's own headers may switch who answers.
   */
  const passes = (
    view: ClientView,
    ctx: GenerateContext | StreamContext,
    mode: CacheCallMode,
  ): boolean =>
    mode === "bypass" ||
    !view.cacheable(ctx.request, ctx.options) ||
    (view.needsScope && ctx.client.cacheScope === undefined) ||
    (ctx.options.headers !== undefined && switchesAccount(ctx.options.headers, view.needsScope));

  const flush = () => writes.flush();

  const snapshot = (): LLMCacheStats => {
    const out = stats.snapshot();
    if (tiered) {
      // Entries the TieredCache refused (L2 damage, forgery, its validate) never reach us.
      const levels = tiered.stats();
      out.corrupt += levels.l1.corrupt + levels.l2.corrupt;
    }
    return out;
  };

  // One middleware per client over one shared state (cache, flights, stats),
  // rather than one middleware reading per-client settings on every call:
  // the per-client part is fixed when the client is built, so a call pays
  // nothing to find it, and clients whose keys coincide (same instance and
  // namespace) still share single-flight and entries.
  const middlewareOf = (view: ClientView): CacheMiddleware => ({
    name: "cache",
    stats: snapshot,
    keyOf: view.keyOf,
    withOptions: (overrides) => middlewareOf(viewOf(inherit(view.settings, overrides))),
    flush,

    async wrapGenerate(ctx: GenerateContext): Promise<ChatResponse> {
      const mode = callMode(ctx.options);
      if (passes(view, ctx, mode)) {
        stats.bypassed++;
        return ctx.next();
      }
      const key = view.keyOf(ctx.request, ctx.client);
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
      return generateFrom(startGenerate(view, key, ctx), key, ctx.options.signal);
    },

    wrapStream(ctx: StreamContext): AsyncIterable<StreamEvent> {
      return streamThrough(view, ctx);
    },
  });

  const {
    cache: _cache,
    pricing: _pricing,
    onHit: _onHit,
    onMiss: _onMiss,
    onFlight: _onFlight,
    onCorrupt: _onCorrupt,
    limits: _limits,
    coordinator: _coordinator,
    now: _now,
    ...settings
  } = options;
  return middlewareOf(viewOf(settings));

  async function* streamThrough(view: ClientView, ctx: StreamContext): AsyncGenerator<StreamEvent> {
    const mode = callMode(ctx.options);
    if (passes(view, ctx, mode)) {
      stats.bypassed++;
      yield* ctx.next();
      return;
    }
    const key = view.keyOf(ctx.request, ctx.client);
    const found = read(key, ctx.request, mode);
    const hit = found instanceof Promise ? await found : found;
    if (hit !== undefined) {
      yield* answerToEvents(hit.answer, hit.origin);
      return;
    }
    const running = flights.get(key);
    missed(key, ctx.request, running !== undefined);
    const flight = running ?? startStream(view, key, ctx);
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

/**
 * Per-call headers are not in the client's precomputed scope, so a call whose
 * headers select another account (or, under credential scope, carry another
 * credential) is not served from, nor stored under, the client's entries.
 */
export function switchesAccount(
  headers: Record<string, string>,
  credentialScope: boolean,
): boolean {
  for (const name in headers) {
    const role = cacheHeaderRole(name);
    if (role === "account" || (credentialScope && role === "credential")) return true;
  }
  return false;
}

/** `overrides` over `base`, where a member given as `undefined` inherits too. */
function inherit(base: CacheClientOptions, overrides: CacheClientOptions): CacheClientOptions {
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(overrides))
    if (value !== undefined) merged[name] = value;
  return merged as CacheClientOptions;
}

function streamAnswer(flight: Flight): CachedAnswer {
  return { v: ANSWER_VERSION, kind: "stream", storedAt: 0, events: flight.events };
}
