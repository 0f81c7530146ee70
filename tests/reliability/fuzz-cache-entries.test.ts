import {
  type CachedAnswer,
  type CacheMiddleware,
  cacheMiddleware,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import { RedisStore } from "@llm/cache-redis";
import { SqliteStore } from "@llm/cache-sqlite";
import { type ChatRequest, compose, type LLMClient } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import Database from "better-sqlite3";
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wireText } from "./support/chunks.js";
import { fuzzParams } from "./support/fuzz.js";
import { mutatedJson, mutatedText } from "./support/mutate.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";
import { tempDir } from "./support/temp-dir.js";

const RUNS = 80;

/** Raw access to an L2 behind the store's back: how an entry gets damaged on disk or on the wire. */
interface RawL2 {
  read(key: string): Promise<string | undefined>;
  write(key: string, value: string): Promise<void>;
}

interface Rig {
  client: LLMClient;
  cache: CacheMiddleware;
  l1: SmartCache<CachedAnswer>;
  raw: RawL2;
}

function rigFor(mock: MockProvider, store: SqliteStore | RedisStore, raw: RawL2): Rig {
  const l1 = new SmartCache<CachedAnswer>({ maxEntries: 100 });
  const cache = cacheMiddleware({ cache: new TieredCache<CachedAnswer>({ l1, l2: store }) });
  const client = compose(
    createOpenAI({ apiKey: "sk-test-fuzz-cache", baseURL: mock.baseURL, model: "gpt-4o-mini" }),
    cache,
  );
  return { client, cache, l1, raw };
}

/** What a garbage entry may look like: the real one damaged as JSON or as bytes, or noise. */
const garbageFor = (stored: string): fc.Arbitrary<string> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    parsed = stored;
  }
  return fc.oneof(
    mutatedJson(parsed).map((v) => JSON.stringify(v) ?? ""),
    mutatedText(stored),
    wireText,
  );
};

async function answer(client: LLMClient, request: ChatRequest, streamed: boolean): Promise<string> {
  if (!streamed) return (await client.generate(request)).text;
  let text = "";
  for await (const event of client.stream(request))
    if (event.type === "text-delta") text += event.delta;
  return text;
}

/**
 * Stores an answer, damages its L2 entry, empties L1 and asks again: the
 * request must succeed (a corrupt entry is a miss), never crash.
 */
async function corruptAndAsk(rig: Rig, runs: number): Promise<{ corrupt: number }> {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.boolean(),
      fc.boolean(),
      fc.context(),
      async (storeStreamed, readStreamed, ctx) => {
        const request: ChatRequest = {
          messages: [{ role: "user", content: `fuzz cache entry ${n++}` }],
          temperature: 0,
        };
        const original = await answer(rig.client, request, storeStreamed);
        await rig.cache.flush();
        const key = rig.cache.keyOf(request, rig.client);
        const stored = await rig.raw.read(key);
        expect(stored, "the answer reached L2").toBeTypeOf("string");
        const garbage = fc.sample(garbageFor(stored ?? ""), { numRuns: 1, seed: n })[0] ?? "";
        ctx.log(`garbage: ${garbage.slice(0, 200)}`);
        await rig.raw.write(key, garbage);
        rig.l1.clear();
        const again = await answer(rig.client, request, readStreamed);
        // The mock answers deterministically, so a miss re-fetches the very same text.
        expect(again.length).toBeGreaterThan(0);
        expect(original.length).toBeGreaterThan(0);
      },
    ),
    fuzzParams(runs),
  );
  return { corrupt: rig.cache.stats().corrupt };
}

/**
 * Stores an answer, lets `damage` change its L2 entry in a way no garbage
 * string can (a column of another type, a key of another Redis type), empties
 * L1 and asks again: the request must be answered, never fail.
 */
async function damageAndAsk<T>(
  rig: Rig,
  damageArb: fc.Arbitrary<T>,
  damage: (key: string, how: T) => Promise<void>,
  runs: number,
): Promise<void> {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.boolean(),
      fc.boolean(),
      damageArb,
      async (storeStreamed, readStreamed, how) => {
        const request: ChatRequest = {
          messages: [{ role: "user", content: `fuzz wrong-typed entry ${n++}` }],
          temperature: 0,
        };
        const original = await answer(rig.client, request, storeStreamed);
        await rig.cache.flush();
        await damage(rig.cache.keyOf(request, rig.client), how);
        rig.l1.clear();
        const again = await answer(rig.client, request, readStreamed);
        expect(again).toBe(original);
      },
    ),
    fuzzParams(runs),
  );
}

/** A value SQLite's dynamic typing lets any column of a row hold, whatever its declared type. */
const sqliteValue = fc.oneof(
  fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(0, -1, 1.5, 1e300, "abc", "", "9999999999999999999999"),
  fc.integer(),
  fc.string({ maxLength: 16 }),
);

describe("cache entries read back from SQLite", () => {
  const tmp = tempDir("sqlite");
  let mock: MockProvider;
  let store: SqliteStore;
  let db: Database.Database;
  let rig: Rig;

  beforeAll(async () => {
    mock = await startMockProvider({ provider: "openai", maxRecorded: 0 });
    const path = tmp.path("cache.db");
    store = new SqliteStore({ path, sweepIntervalMs: 0 });
    db = new Database(path);
    db.pragma("busy_timeout = 1000");
    const select = db.prepare<[string], { value: string }>(
      "SELECT value FROM entries WHERE key = ?",
    );
    const update = db.prepare("UPDATE entries SET value = ? WHERE key = ?");
    rig = rigFor(mock, store, {
      read: async (key) => select.get(key)?.value,
      write: async (key, value) => void update.run(value, key),
    });
  });

  afterAll(async () => {
    db?.close();
    await store?.close();
    await mock?.close();
    tmp.remove();
  });

  it("serves every request when an entry was overwritten with garbage, counting it as corrupt", async () => {
    const { corrupt } = await corruptAndAsk(rig, RUNS);
    expect(corrupt).toBeGreaterThan(0);
  });

  it("serves every request when a row's columns hold values of another type (a BLOB value, a text expiry…)", async () => {
    const columns = ["value", "expires_at", "accessed_at", "size"] as const;
    await damageAndAsk(
      rig,
      fc.tuple(fc.constantFrom(...columns), sqliteValue, fc.boolean()),
      async (key, [column, value, asStoredBytes]) => {
        // The stored answer itself as a BLOB: the same bytes, another type.
        const stored = db.prepare<[string], { value: string }>(
          "SELECT value FROM entries WHERE key = ?",
        );
        const replacement =
          column === "value" && asStoredBytes ? Buffer.from(stored.get(key)?.value ?? "") : value;
        db.prepare(`UPDATE entries SET ${column} = ? WHERE key = ?`).run(replacement, key);
      },
      RUNS,
    );
  });
});

describe("cache entries read back from Redis", () => {
  let redis: PrivateRedis;
  let mock: MockProvider;
  let store: RedisStore;
  let direct: Redis;
  let rig: Rig;
  const namespace = `reliability-fuzz-${process.pid}`;

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    mock = await startMockProvider({ provider: "openai", maxRecorded: 0 });
    store = new RedisStore({ url: redis.url, namespace, subscribe: false });
    await store.ready();
    direct = new Redis(redis.url, { lazyConnect: false });
    rig = rigFor(mock, store, {
      read: async (key) => (await direct.get(store.entryKey(key))) ?? undefined,
      write: async (key, value) => void (await direct.set(store.entryKey(key), value, "KEEPTTL")),
    });
  });

  afterAll(async () => {
    direct?.disconnect();
    await store?.close();
    await redis?.kill();
    await mock?.close();
  });

  it("serves every request when an entry was overwritten with garbage, counting it as corrupt", async () => {
    const { corrupt } = await corruptAndAsk(rig, RUNS);
    expect(corrupt).toBeGreaterThan(0);
  });

  it("serves every request when an entry's key holds another Redis type (hash, list, set, stream)", async () => {
    await damageAndAsk(
      rig,
      fc.constantFrom("hash", "list", "set", "zset", "stream"),
      async (key, type) => {
        const entryKey = store.entryKey(key);
        await direct.del(entryKey);
        if (type === "hash") await direct.hset(entryKey, "v", "x");
        else if (type === "list") await direct.rpush(entryKey, "x");
        else if (type === "set") await direct.sadd(entryKey, "x");
        else if (type === "zset") await direct.zadd(entryKey, 1, "x");
        else await direct.xadd(entryKey, "*", "v", "x");
      },
      40,
    );
  });
});
