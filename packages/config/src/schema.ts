import { z } from "zod";
import { providerSettingsSchema } from "./provider-settings.js";
import { headers, secret, secretizeUnknown, secretURL } from "./secrets.js";
import { boolish, duration, numeric, size } from "./units.js";

/**
 * The one schema of the toolkit. Types are inferred from it (`LLMConfig`), so
 * a field added here is typed everywhere. Objects are strict: a typo such as
 * `modle:` is reported instead of silently ignored.
 */

const int = (min = 0) => numeric(z.number().int().min(min));

export const clientParamsSchema = z.looseObject({
  temperature: numeric(z.number().min(0).max(2)).optional(),
  topP: numeric(z.number().min(0).max(1)).optional(),
  topK: int(1).optional(),
  maxTokens: int(1).optional(),
  presencePenalty: numeric(z.number().min(-2).max(2)).optional(),
  frequencyPenalty: numeric(z.number().min(-2).max(2)).optional(),
  seed: numeric(z.number().int()).optional(),
  stop: z.array(z.string()).optional(),
});

export const timeoutsSchema = z.strictObject({
  /** Whole call, including retries' waits inside one attempt. */
  totalMs: duration().optional(),
  /** Until the first token of a stream (or the response headers). */
  firstTokenMs: duration().optional(),
  /** Longest silence between two stream chunks. */
  idleMs: duration().optional(),
});

/** Bounds on what a provider may send back; unset ones take @llm/core's `DEFAULT_RESPONSE_LIMITS`. */
export const limitsSchema = z.strictObject({
  /** Longest SSE / NDJSON line (default 1 MiB). */
  maxLineBytes: size().optional(),
  /** Largest SSE event (default 8 MiB). */
  maxEventBytes: size().optional(),
  /** Largest non-streamed response body (default 32 MiB). */
  maxBodyBytes: size().optional(),
  /** Most bytes one stream may deliver in all (default 256 MiB). */
  maxStreamBytes: size().optional(),
  /** Whole-stream deadline when no `timeouts.totalMs` applies (default 10 min; 0 = none). */
  streamTotalMs: duration().optional(),
  /** Longest wait between two stream events; keep-alive pings do not count (default 5 min; 0 = none). */
  streamIdleMs: duration().optional(),
});

export const retriesSchema = z.strictObject({
  maxAttempts: int(1).default(3),
  baseDelayMs: duration().default(250),
  maxDelayMs: duration().default(10_000),
});

export const circuitBreakerSchema = z.strictObject({
  enabled: boolish().default(true),
  /** Consecutive failures that open the circuit. */
  failureThreshold: int(1).default(5),
  /** How long the circuit stays open before one probe call. */
  resetTimeoutMs: duration().default(30_000),
  /** Probe calls allowed while half-open. */
  halfOpenMaxCalls: int(1).default(1),
});

/**
 * A client's share of a provider's rate limits (@llm/ratelimit): requests and
 * tokens per minute, held in `rateLimits.store` — shared by every process on
 * the same Redis. `per` names whose budget it is: this client's alone, every
 * client of the same provider instance (endpoint, organisation, project), or
 * every client sending the same API key.
 */
export const clientRateLimitSchema = z
  .strictObject({
    requestsPerMinute: int(1).optional(),
    tokensPerMinute: int(1).optional(),
    per: z.enum(["client", "provider", "apiKey"]).default("client"),
    /** Longest a call waits for the budget before it fails with `RateLimitBudgetError`. */
    maxWaitMs: duration().default(30_000),
    /** Most calls of one process waiting for the budget at once. */
    maxQueue: int(0).default(1_000),
    /** Tighten the budget from the provider's rate-limit headers and 429 retry-after. */
    learn: boolish().default(true),
  })
  .refine((limit) => limit.requestsPerMinute !== undefined || limit.tokensPerMinute !== undefined, {
    message: "set requestsPerMinute, tokensPerMinute or both",
  });

/** `redis://host:port` or `rediss://host:port` (the port optional): what ioredis needs to reach a sentinel. */
const isRedisAddress = (text: string): boolean => {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === "redis:" || url.protocol === "rediss:") &&
    url.hostname.length > 0 &&
    url.pathname.length <= 1
  );
};

/** Longest `ca` / `cert` / `key` value: a path, or PEM text (a whole CA bundle fits). */
export const MAX_TLS_SETTING_LENGTH = 1024 * 1024;

/**
 * Longest `key` value: a path, or one private key's PEM (an RSA-8192 key is
 * ~6.5 KiB). Tighter than the rest: a `Secret`'s value joins the pattern every
 * error message is redacted with.
 */
export const MAX_TLS_KEY_LENGTH = 16 * 1024;

const pemOrPath = () => z.string().min(1).max(MAX_TLS_SETTING_LENGTH);

/**
 * TLS to one side of a Redis deployment (the data nodes, or the sentinels);
 * present means on. `ca`, `cert` and `key` are each a PEM file's path or the
 * PEM text (`-----BEGIN …`, as from an env var); files are read and checked
 * when the connection is made (@llm/redis-connection).
 */
export const redisTLSSchema = z
  .strictObject({
    /** CA bundle that signed the servers' certificates. Unset: Node's public CAs. */
    ca: pemOrPath().optional(),
    /** Client certificate, for servers that demand one (mutual TLS); needs `key`. */
    cert: pemOrPath().optional(),
    /** The client certificate's private key: a `Secret` (env: `LLM__CACHE__L2__TLS__KEY`). */
    key: secret()
      .refine((value) => value.reveal().length <= MAX_TLS_KEY_LENGTH, {
        message: `is longer than ${MAX_TLS_KEY_LENGTH} characters`,
      })
      .optional(),
    /** The name the server's certificate must carry, when not the host connected to. */
    servername: z.string().min(1).max(253).optional(),
    /** `false` accepts any certificate — anyone on the path can pose as Redis. Default `true`. */
    rejectUnauthorized: boolish().default(true),
  })
  .superRefine((tls, ctx) => {
    if ((tls.cert === undefined) === (tls.key === undefined)) return;
    ctx.addIssue({
      code: "custom",
      path: [tls.cert === undefined ? "cert" : "key"],
      message: "mutual TLS needs both cert and key",
    });
  });

/** The scheme of a sentinel address, for the all-or-none TLS check. */
const isTLSAddress = (text: string): boolean =>
  text.trimStart().toLowerCase().startsWith("rediss:");

/**
 * A Redis Sentinel deployment, instead of a `url`: the connection asks the
 * sentinels for the current master of `name` and follows it through
 * failovers. Replication is asynchronous, so writes acknowledged just before
 * a failover may be lost (see @llm/cache-redis's README).
 */
export const redisSentinelSchema = z.strictObject({
  /** The master group's name, as in the sentinels' `sentinel monitor <name> …`. */
  name: z.string().min(1),
  /**
   * Sentinels to ask (`redis://host:port`, port default 26379; `rediss://` for
   * TLS, then all of them); several, so one down is no outage.
   */
  sentinels: z
    .array(
      secretURL({ anyString: true }).refine((url) => isRedisAddress(url.reveal()), {
        message: "must look like redis://host:port or rediss://host:port",
      }),
    )
    .min(1)
    .max(64)
    .superRefine((sentinels, ctx) => {
      const first = sentinels[0];
      if (first === undefined) return;
      const tls = isTLSAddress(first.reveal());
      const odd = sentinels.findIndex((url) => isTLSAddress(url.reveal()) !== tls);
      if (odd < 0) return;
      ctx.addIssue({
        code: "custom",
        path: [odd],
        message: "sentinel addresses must all be redis:// or all be rediss://",
      });
    }),
  /** The sentinels' own password (their `requirepass`); the master's is the store's `password`. */
  password: secret().optional(),
  /**
   * TLS to the sentinels, when it differs from the data nodes' `tls` (their
   * `tls` is used for `rediss://` sentinels otherwise). Present means on.
   */
  tls: redisTLSSchema.optional(),
});

/** Exactly one way to reach Redis: a server, a cluster's startup nodes, or a Sentinel deployment. */
const oneRedisTarget = (
  target: { url?: unknown; cluster?: unknown; sentinel?: unknown },
  ctx: z.core.$RefinementCtx,
): void => {
  const given = (["url", "cluster", "sentinel"] as const).filter(
    (key) => target[key] !== undefined,
  );
  if (given.length === 1) return;
  ctx.addIssue({
    code: "custom",
    path: given.length === 0 ? ["url"] : [given[1] as string],
    message:
      given.length === 0
        ? "set one of url, cluster, sentinel"
        : `set only one of url, cluster, sentinel (got ${given.join(" and ")})`,
  });
};

/** Where rate-limit budgets live. */
export const rateLimitsSchema = z.strictObject({
  store: z
    .discriminatedUnion("type", [
      z.strictObject({ type: z.literal("memory") }),
      z
        .strictObject({
          type: z.literal("redis"),
          /** A `SecretURL`: `redis://:password@host` prints redacted. */
          url: secretURL({ anyString: true }).optional(),
          /** A Redis Sentinel deployment, instead of `url`. */
          sentinel: redisSentinelSchema.optional(),
          prefix: z.string().min(1).default("llm:rl"),
          /** The Redis server's password (with `sentinel`, the master's). */
          password: secret().optional(),
          /** TLS to the Redis server (with `sentinel`, the data nodes); a `rediss://` url alone uses Node's CAs. */
          tls: redisTLSSchema.optional(),
        })
        .superRefine(oneRedisTarget),
    ])
    .default({ type: "memory" }),
  /**
   * HMAC key of the API-key tag that names `per: apiKey` budgets (env:
   * `LLM__RATE_LIMITS__KEY_SECRET`); processes sharing a budget must share it.
   * Unset: `cache.scopeSecret`, else a random key per process.
   */
  keySecret: secret()
    .refine((value) => value.reveal().length >= 16, { message: "needs at least 16 characters" })
    .optional(),
});

/**
 * Which requests a cache may answer and store — the sampling rule (see
 * `asksForVariety` in @llm/core): a request is cached unless it asks for
 * variety (an explicit `temperature > 0`, or `n`/`candidateCount` > 1). An
 * UNSET temperature is cached although OpenAI, Anthropic and Gemini then
 * sample at 1.0 (Ollama at 0.8): the caller asked for no particular variety,
 * and the cache turns that sampling into one fixed answer. Request defaults
 * (`clients.<name>.params.temperature`) are applied before this rule sees the
 * request.
 */
const samplingPolicyShape = {
  /** Also cache calls that ask for variety (temperature > 0, several candidates). */
  allowNonDeterministic: boolish(),
  /** Cache calls that leave temperature unset (the provider's sampling default). */
  cacheUnsetTemperature: boolish(),
};

/**
 * `scope` of cache keys: `instance` (default) — the provider instance that
 * answers (endpoint, organisation/project/deployment headers) plus the
 * namespace; `credential` — also an HMAC of the client's credential, so a
 * wrong or revoked key gets no cached answer.
 */
const cacheScope = z.enum(["instance", "credential"]);

/** Shortest `cache.scopeSecret` accepted (an HMAC key must not be guessable). */
export const MIN_SCOPE_SECRET_LENGTH = 16;

/**
 * Per-client cache settings; `false` turns the cache off for the client.
 * Anything left out follows the global `cache` section.
 */
export const clientCacheSchema = z.union([
  boolish(),
  z.strictObject({
    enabled: boolish().optional(),
    ttlMs: duration().optional(),
    /** Prefixes the client's keys in clear (`<namespace>:<sha256>`): tenants apart, invalidation by prefix. */
    namespace: z.string().min(1).optional(),
    scope: cacheScope.optional(),
    /**
     * Names the provider instance instead of deriving it from baseURL and
     * headers: one account behind several URLs (regions, a proxy, a local
     * stand-in on a changing port). Clients sharing a name share answers.
     */
    instance: z.string().min(1).optional(),
    policy: z
      .strictObject({
        allowNonDeterministic: samplingPolicyShape.allowNonDeterministic.optional(),
        cacheUnsetTemperature: samplingPolicyShape.cacheUnsetTemperature.optional(),
      })
      .optional(),
  }),
]);

export const clientSchema = z.strictObject({
  /** Provider type in the registry: `openai`, `anthropic`, `gemini`, `ollama`, or a plugin's. */
  provider: z.string().min(1),
  model: z.string().min(1),
  apiKey: secret().optional(),
  /** A `SecretURL`: a `?key=` or userinfo in it prints redacted; `reveal()` gives the URL. */
  baseURL: secretURL().optional(),
  headers: headers().optional(),
  params: clientParamsSchema
    .transform((params) => secretizeUnknown(params) as typeof params)
    .optional(),
  /** Names of other clients tried in order when this one fails. */
  fallbacks: z.array(z.string().min(1)).optional(),
  timeouts: timeoutsSchema.optional(),
  limits: limitsSchema.optional(),
  retries: retriesSchema.optional(),
  circuitBreaker: circuitBreakerSchema.optional(),
  cache: clientCacheSchema.optional(),
  rateLimit: clientRateLimitSchema.optional(),
  /**
   * What only this client's provider understands (Bedrock `region`, Azure
   * `apiVersion`, Mistral `safePrompt`, …): plain data here, validated by the
   * provider package's own schema when `@llm/di` builds the client.
   */
  providerSettings: providerSettingsSchema.optional(),
});

export const l1CacheSchema = z.strictObject({
  maxEntries: int(1).default(10_000),
  maxBytes: size().default(64 * 1024 * 1024),
  ttlMs: duration().default(3_600_000),
  /** `w-tinylfu`: frequency-aware admission with an adaptive window (see @llm/cache); `lru` to compare. */
  policy: z.enum(["w-tinylfu", "lru"]).default("w-tinylfu"),
  /**
   * Keep answers deflated in memory: about half the heap of plain objects
   * (see BENCHMARKS.md) and so more answers per byte, for an inflate of tens
   * of microseconds per hit — nothing next to the model call a hit saves.
   */
  compress: boolish().default(true),
});

/**
 * Cross-process single-flight (`cache.l2.coalesce`, Redis only): processes
 * that miss the same key at once make one upstream call — one leads under a
 * lease in Redis, the others replay its stream live and read its answer from
 * the store. Every wait and buffer is bounded here.
 */
export const coalesceSchema = z.strictObject({
  enabled: boolish().default(true),
  /** A leader that stops renewing (crashed, stalled) is replaced after this. */
  leaseMs: duration()
    .refine((ms) => ms >= 100, { message: "must be at least 100ms" })
    .default(10_000),
  /** Longest a follower waits for another process's answer before making its own call. */
  maxWaitMs: duration()
    .refine((ms) => ms >= 100, { message: "must be at least 100ms" })
    .default(60_000),
  /** Stream events relayed live per call; a longer stream is read from the store at its end. */
  maxEvents: int(1).default(10_000),
  /** Largest event relayed live; a bigger one is read from the store at the end the same way. */
  maxEventBytes: size()
    .refine((bytes) => bytes >= 1_024, { message: "must be at least 1KiB" })
    .default(256 * 1024),
});

export const l2CacheSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("sqlite"),
    path: z.string().min(1),
    maxBytes: size().optional(),
  }),
  z
    .strictObject({
      type: z.literal("redis"),
      /** A `SecretURL`: `redis://:password@host` prints redacted. */
      url: secretURL({ anyString: true }).optional(),
      /** Startup nodes of a Redis Cluster (`redis://host:port`), instead of `url`. */
      cluster: z
        .array(secretURL({ anyString: true }))
        .min(1)
        .optional(),
      /** A Redis Sentinel deployment (`{ name, sentinels, password? }`), instead of `url`. */
      sentinel: redisSentinelSchema.optional(),
      namespace: z.string().min(1).default("llm"),
      /** The Redis server's password (with `sentinel`, the master's). */
      password: secret().optional(),
      /**
       * TLS to the Redis server (with `sentinel`, the data nodes; the sentinels'
       * own is `sentinel.tls` or `rediss://` addresses); a `rediss://` url alone
       * uses Node's CAs. Not offered with `cluster` yet.
       */
      tls: redisTLSSchema.optional(),
      /** Cross-process single-flight over this Redis (see `coalesceSchema`). */
      coalesce: coalesceSchema.prefault({}),
    })
    .superRefine(oneRedisTarget)
    .superRefine((l2, ctx) => {
      if (l2.tls === undefined || l2.cluster === undefined) return;
      ctx.addIssue({
        code: "custom",
        path: ["tls"],
        message: "TLS to a Redis Cluster is not supported yet",
      });
    }),
  z.strictObject({ type: z.literal("none") }),
]);

/** HMAC keys for L2 entries: long enough that guessing one is not an option. */
const integritySecret = () =>
  secret().refine((value) => value.reveal().length >= 16, {
    message: "must be at least 16 characters",
  });

/**
 * What the cache accepts when it reads an entry back from L2. With a
 * `secret`, entries are signed (HMAC-SHA256) and unsigned or forged ones are
 * refused — for stores other processes can write to.
 */
export const cacheIntegritySchema = z.strictObject({
  /** Signs every L2 entry written, verifies every entry read. Env: `LLM__CACHE__INTEGRITY__SECRET`. */
  secret: integritySecret().optional(),
  /** Old secrets still accepted when reading, during a rotation (never used to sign). */
  previousSecrets: z.array(integritySecret()).default([]),
  /** Largest L2 entry read back; a bigger one is treated as damaged. */
  maxEntryBytes: size().default(8 * 1024 * 1024),
});

export const cacheSchema = z.strictObject({
  enabled: boolish().default(true),
  l1: l1CacheSchema.prefault({}),
  l2: l2CacheSchema.default({ type: "none" }),
  integrity: cacheIntegritySchema.prefault({}),
  /** Default key scope of every client (`clients.<name>.cache.scope` overrides it). */
  scope: cacheScope.default("instance"),
  /**
   * HMAC key of the credential tag under `scope: credential`
   * (env: `LLM__CACHE__SCOPE_SECRET`). Processes sharing an L2 store must
   * share it to share entries. Unset: a random key per process — never wrong,
   * but credential-scoped entries are then private to the process.
   */
  scopeSecret: secret()
    .refine((value) => value.reveal().length >= MIN_SCOPE_SECRET_LENGTH, {
      message: `needs at least ${MIN_SCOPE_SECRET_LENGTH} characters`,
    })
    .optional(),
  /** The sampling rule's defaults for every client (see `samplingPolicyShape`). */
  policy: z
    .strictObject({
      allowNonDeterministic: samplingPolicyShape.allowNonDeterministic.default(false),
      cacheUnsetTemperature: samplingPolicyShape.cacheUnsetTemperature.default(true),
    })
    .prefault({}),
});

/**
 * Connection pool settings. Every field is optional: what is left out keeps
 * @llm/pool's own defaults, which are tuned for LLM traffic (a long headers
 * timeout for slow first tokens, for one) — a second set of defaults here
 * would silently override them.
 */
export const poolSchema = z.strictObject({
  /** Sockets per origin. */
  connections: int(1).optional(),
  /** Requests in flight per socket (1 = no HTTP/1.1 pipelining). */
  pipelining: int(1).optional(),
  keepAliveTimeoutMs: duration().optional(),
  headersTimeoutMs: duration().optional(),
  bodyTimeoutMs: duration().optional(),
  /** Requests waiting for a socket before new ones are rejected. */
  maxQueue: int(0).optional(),
  queueTimeoutMs: duration().optional(),
  /** How long shutdown lets in-flight requests finish before failing them (default 5 s). */
  closeTimeoutMs: duration().optional(),
  /** Largest body the pool's `text()` / `json()` read (default 32 MiB). */
  maxBodyBytes: size().optional(),
});

export const memorySchema = z
  .strictObject({
    budgetBytes: size().default(256 * 1024 * 1024),
    highWatermark: numeric(z.number().gt(0).lt(1)).default(0.85),
    criticalWatermark: numeric(z.number().gt(0).max(1)).default(0.95),
    sampleIntervalMs: duration().default(1_000),
  })
  .superRefine((memory, ctx) => {
    if (memory.highWatermark >= memory.criticalWatermark) {
      ctx.addIssue({
        code: "custom",
        path: ["highWatermark"],
        message: `must be below criticalWatermark (${memory.criticalWatermark})`,
      });
    }
  });

export const pluginEntrySchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    /** Package name (`@acme/llm-plugin`) or file path (`./plugins/audit.js`). */
    module: z.string().min(1),
    /** When true, a plugin that fails to load stops startup; otherwise it is reported and skipped. */
    required: boolish().default(false),
    /**
     * The plugin's own settings, validated by the plugin; credential-named
     * strings become `Secret`s and credential-bearing URLs `SecretURL`s.
     */
    config: z.unknown().optional(),
  })
  .transform((entry) =>
    entry.config === undefined
      ? entry
      : { ...entry, config: secretizeUnknown(entry.config, "", { urls: true }) },
  );

export const hooksSchema = z.strictObject({
  /** Longest a single hook handler may run before it is abandoned. */
  timeoutMs: duration().default(5_000),
});

/** The built-in sections; `extendSchema` adds contributed ones. */
export const baseConfigShape = {
  clients: z.record(z.string().min(1), clientSchema).default({}),
  cache: cacheSchema.prefault({}),
  pool: poolSchema.prefault({}),
  memory: memorySchema.prefault({}),
  plugins: z.array(pluginEntrySchema).default([]),
  hooks: hooksSchema.prefault({}),
  rateLimits: rateLimitsSchema.prefault({}),
};

export const BUILT_IN_SECTIONS: ReadonlySet<string> = new Set(Object.keys(baseConfigShape));

/** Checks that span clients: fallbacks name existing clients and never loop. */
export function checkClients(value: unknown, ctx: z.RefinementCtx): void {
  const clients = fallbackGraph(value);
  const names = new Set(Object.keys(clients));
  for (const [name, client] of Object.entries(clients)) {
    client.fallbacks?.forEach((target, index) => {
      if (target === name) {
        ctx.addIssue({
          code: "custom",
          path: ["clients", name, "fallbacks", index],
          message: `client "${name}" cannot fall back to itself`,
        });
      } else if (!names.has(target)) {
        ctx.addIssue({
          code: "custom",
          path: ["clients", name, "fallbacks", index],
          message: `unknown client "${target}" (known clients: ${[...names].join(", ")})`,
        });
      }
    });
  }
  for (const cycle of findFallbackCycles(clients)) {
    ctx.addIssue({
      code: "custom",
      path: ["clients", cycle[0] as string, "fallbacks"],
      message: `fallback cycle among clients ${cycle.map((n) => `"${n}"`).join(", ")}`,
    });
  }
}

/**
 * The clients' fallback lists, read defensively: the cross-field checks also
 * run when other fields are invalid (so every problem is listed at once), and
 * then the value may be only partly well-formed.
 */
function fallbackGraph(value: unknown): Record<string, { fallbacks?: string[] }> {
  const graph: Record<string, { fallbacks?: string[] }> = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) return graph;
  for (const [name, client] of Object.entries(value)) {
    const fallbacks = (client as { fallbacks?: unknown } | null)?.fallbacks;
    graph[name] = Array.isArray(fallbacks)
      ? { fallbacks: fallbacks.filter((f): f is string => typeof f === "string") }
      : {};
  }
  return graph;
}

/** Runs a refinement even when other fields already failed. */
export const ALWAYS = { when: () => true } as const;

/**
 * Groups of clients that fall back to each other in a loop (strongly connected
 * components of size ≥ 2, Tarjan's algorithm), each sorted by name.
 * Linear in clients + fallbacks.
 */
export function findFallbackCycles(
  clients: Record<string, { fallbacks?: string[] | undefined }>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const edges = (name: string) =>
    (clients[name]?.fallbacks ?? []).filter((n) => n !== name && Object.hasOwn(clients, n));
  const connect = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter);
    counter++;
    stack.push(name);
    onStack.add(name);
    for (const next of edges(name)) {
      if (!index.has(next)) {
        connect(next);
        low.set(name, Math.min(low.get(name) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(name, Math.min(low.get(name) as number, index.get(next) as number));
      }
    }
    if (low.get(name) === index.get(name)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        group.push(member);
      } while (member !== name);
      if (group.length > 1) {
        group.sort();
        cycles.push(group);
      }
    }
  };
  for (const name of Object.keys(clients)) if (!index.has(name)) connect(name);
  return cycles;
}

export const configSchema = z.strictObject(baseConfigShape).superRefine((config, ctx) => {
  checkClients((config as { clients?: unknown }).clients, ctx);
}, ALWAYS);

export type LLMConfig = z.output<typeof configSchema>;
export type LLMConfigInput = z.input<typeof configSchema>;
export type ClientConfig = z.output<typeof clientSchema>;
export type ClientParams = z.output<typeof clientParamsSchema>;
export type CacheConfig = z.output<typeof cacheSchema>;
export type ClientCacheConfig = z.output<typeof clientCacheSchema>;
export type L2CacheConfig = z.output<typeof l2CacheSchema>;
export type CoalesceConfig = z.output<typeof coalesceSchema>;
export type PoolConfig = z.output<typeof poolSchema>;
export type MemoryConfig = z.output<typeof memorySchema>;
export type PluginEntry = z.output<typeof pluginEntrySchema>;
export type HooksConfig = z.output<typeof hooksSchema>;
export type RetriesConfig = z.output<typeof retriesSchema>;
export type TimeoutsConfig = z.output<typeof timeoutsSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;
export type CircuitBreakerConfig = z.output<typeof circuitBreakerSchema>;
export type ClientRateLimitConfig = z.output<typeof clientRateLimitSchema>;
export type RateLimitsConfig = z.output<typeof rateLimitsSchema>;
export type RedisTLSConfig = z.output<typeof redisTLSSchema>;
