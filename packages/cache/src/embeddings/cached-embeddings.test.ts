import {
  AbortError,
  type CacheScope,
  type CallOptions,
  ConfigError,
  type EmbeddingClient,
  type EmbeddingRequest,
  type EmbeddingResponse,
  embedMany,
} from "@llm/core";
import { describe, expect, it } from "vitest";
import { keyScope } from "../key/key-scope.js";
import { SmartCache } from "../smart-cache/smart-cache.js";
import { MemoryStore } from "../store/memory-store.js";
import { type CorruptEntryEvent, TieredCache } from "../tiered/tiered-cache.js";
import { type CachedEmbedding, EMBEDDING_VERSION, embeddingCodec } from "./cached-embedding.js";
import { cachedEmbeddings } from "./cached-embeddings.js";
import { embeddingKeys } from "./embedding-key.js";

/** Deterministic vectors ([length, first char + 1, sin…]) and a record of what went upstream. */
class RecordingEmbeddings implements EmbeddingClient {
  readonly provider = "fake";
  readonly model = "embed-1";
  readonly calls: { inputs: readonly string[]; options: CallOptions | undefined }[] = [];
  readonly cacheScope: CacheScope | undefined;
  /** `instance: null`: a client that cannot say who answers (no `cacheScope`). */
  constructor(
    readonly maxInputsPerCall = 50,
    instance: string | null = "https://a.example",
  ) {
    this.cacheScope = instance === null ? undefined : scope(instance);
  }
  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    this.calls.push({ inputs: request.inputs, options });
    const size = request.dimensions ?? 3;
    return {
      provider: this.provider,
      model: request.model ?? this.model,
      embeddings: request.inputs.map((text) =>
        Float32Array.from({ length: size }, (_, i) =>
          i === 0 ? text.length : i === 1 ? text.charCodeAt(0) + 1 : Math.sin(text.length * 31 + i),
        ),
      ),
      usage: { inputTokens: request.inputs.length },
    };
  }
  sent(): string[] {
    return this.calls.flatMap((c) => c.inputs);
  }
}

function scope(instance: string): CacheScope {
  return { instance, credentialTag: (key) => `tag-${String(key).length}` };
}

const texts = (n: number, prefix = "text") => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);
const l1 = () => new SmartCache<CachedEmbedding>({ maxEntries: 10_000 });

describe("cachedEmbeddings", () => {
  it("README example: an embedMany of 100 texts, 90 seen before, sends one call for the 10 new ones, in order", async () => {
    const upstream = new RecordingEmbeddings(2048);
    const store = new MemoryStore();
    const cache = new TieredCache<CachedEmbedding>({
      l1: new SmartCache<CachedEmbedding>({ maxEntries: 100_000, maxBytes: 256 * 1024 * 1024 }),
      l2: store,
      codec: embeddingCodec,
    });
    const embeddings = cachedEmbeddings(upstream, { cache, namespace: "docs" });
    const seen = texts(90, "seen");
    await embedMany(embeddings, seen);
    upstream.calls.length = 0;

    const fresh = texts(10, "new");
    const all = [...seen.slice(0, 45), ...fresh, ...seen.slice(45)];
    const result = await embedMany(embeddings, all);

    expect(upstream.calls).toHaveLength(1);
    expect(upstream.calls[0]?.inputs).toEqual(fresh);
    expect(result.embeddings.map((v) => v[0])).toEqual(all.map((t) => t.length));
    expect(result.embeddings.map((v) => v[1])).toEqual(all.map((t) => t.charCodeAt(0) + 1));
    expect(result.cached).toBe(90);
    expect(result.usage.inputTokens).toBe(10);
  });

  it("batches the misses to the wrapped client's limit", async () => {
    const upstream = new RecordingEmbeddings(4);
    const embeddings = cachedEmbeddings(upstream, { cache: l1() });
    await embedMany(embeddings, texts(10));
    expect(upstream.calls.map((c) => c.inputs.length)).toEqual([4, 4, 2]);
    expect(embeddings.stats()).toMatchObject({
      lookups: 10,
      misses: 10,
      upstreamCalls: 1,
      stored: 10,
    });
  });

  it("sends a text that appears twice in a batch once, and answers both", async () => {
    const upstream = new RecordingEmbeddings();
    const result = await cachedEmbeddings(upstream, { cache: l1() }).embedBatch({
      inputs: ["a", "b", "a"],
    });
    expect(upstream.sent()).toEqual(["a", "b"]);
    expect(result.embeddings[2]).toEqual(result.embeddings[0]);
  });

  it("hands out copies: writing into a returned vector does not change the cache", async () => {
    const embeddings = cachedEmbeddings(new RecordingEmbeddings(), { cache: l1() });
    const first = await embeddings.embedBatch({ inputs: ["a"] });
    (first.embeddings[0] as Float32Array)[0] = 999;
    const again = await embeddings.embedBatch({ inputs: ["a"] });
    expect(again.embeddings[0]?.[0]).toBe(1);
    (again.embeddings[0] as Float32Array)[0] = 999;
    expect((await embeddings.embedBatch({ inputs: ["a"] })).embeddings[0]?.[0]).toBe(1);
  });

  it.each([
    ["another model", { model: "embed-2" }],
    ["other dimensions", { dimensions: 4 }],
    ["other provider options", { providerOptions: { fake: { taskType: "QUERY" } } }],
  ])("keys %s apart", async (_, change) => {
    const upstream = new RecordingEmbeddings();
    const embeddings = cachedEmbeddings(upstream, { cache: l1() });
    await embeddings.embedBatch({ inputs: ["a"] });
    await embeddings.embedBatch({ inputs: ["a"], ...change });
    expect(upstream.calls).toHaveLength(2);
  });

  it("shares vectors between two clients of one instance and keeps namespaces and instances apart", async () => {
    const cache = l1();
    const one = new RecordingEmbeddings();
    const two = new RecordingEmbeddings();
    const other = new RecordingEmbeddings(50, "https://b.example");
    await cachedEmbeddings(one, { cache }).embedBatch({ inputs: ["a"] });
    await cachedEmbeddings(two, { cache }).embedBatch({ inputs: ["a"] });
    await cachedEmbeddings(two, { cache, namespace: "tenant-2" }).embedBatch({ inputs: ["a"] });
    await cachedEmbeddings(other, { cache }).embedBatch({ inputs: ["a"] });
    expect([one.calls.length, two.calls.length, other.calls.length]).toEqual([1, 1, 1]);
  });

  it("prefixes keys with the namespace, like chat keys", () => {
    const [key] = embeddingKeys(["a"], {
      provider: "p",
      model: "m",
      scope: undefined,
      dimensions: undefined,
      providerOptions: { p: { apiKey: "sk-secret", mode: "x" } },
      namespace: "ns",
    });
    expect(key).toMatch(/^ns:[0-9a-f]{64}$/);
    const [same] = embeddingKeys(["a"], {
      provider: "p",
      model: "m",
      scope: undefined,
      dimensions: undefined,
      providerOptions: { p: { mode: "x" } },
      namespace: "ns",
    });
    // Credential-like provider options never reach a key.
    expect(same).toBe(key);
  });

  it("bypasses the cache when told, and refreshes when told", async () => {
    const upstream = new RecordingEmbeddings();
    const embeddings = cachedEmbeddings(upstream, { cache: l1() });
    await embeddings.embedBatch({ inputs: ["a"] });
    await embeddings.embedBatch({ inputs: ["a"] }, { metadata: { cache: "bypass" } });
    await embeddings.embedBatch({ inputs: ["a"] }, { metadata: { cache: "refresh" } });
    await embeddings.embedBatch({ inputs: ["a"] });
    expect(upstream.calls).toHaveLength(3);
    expect(embeddings.stats()).toMatchObject({ bypassed: 1, hits: { l1: 1, l2: 0 } });
  });

  it("does not cache under credential scope a client that cannot say who it is, nor a call switching account", async () => {
    const anonymous = new RecordingEmbeddings(50, null);
    const embeddings = cachedEmbeddings(anonymous, { cache: l1(), scope: "credential" });
    await embeddings.embedBatch({ inputs: ["a"] });
    await embeddings.embedBatch({ inputs: ["a"] });
    expect(anonymous.calls).toHaveLength(2);
    const known = new RecordingEmbeddings();
    const scoped = cachedEmbeddings(known, { cache: l1() });
    await scoped.embedBatch({ inputs: ["a"] });
    await scoped.embedBatch({ inputs: ["a"] }, { headers: { "openai-project": "other" } });
    expect(known.calls).toHaveLength(2);
  });

  it("lets the wrapped client refuse a batch without a model", async () => {
    const noModel: EmbeddingClient = {
      provider: "fake",
      maxInputsPerCall: 10,
      embedBatch: async () => {
        throw new ConfigError("No embedding model");
      },
    };
    await expect(
      cachedEmbeddings(noModel, { cache: l1() }).embedBatch({ inputs: ["a"] }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});

/** A client whose calls wait until `release()`, and whose next call can be made to fail. */
class GatedEmbeddings extends RecordingEmbeddings {
  #gates: (() => void)[] = [];
  failNext = false;
  override async embedBatch(
    request: EmbeddingRequest,
    options?: CallOptions,
  ): Promise<EmbeddingResponse> {
    const fail = this.failNext;
    this.failNext = false;
    await new Promise<void>((resolve) => this.#gates.push(resolve));
    if (fail) throw new ConfigError("upstream refused");
    return super.embedBatch(request, options);
  }
  release(): void {
    for (const open of this.#gates.splice(0)) open();
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("cachedEmbeddings single-flight", () => {
  it("does not send a text again while a concurrent call is fetching it", async () => {
    const upstream = new GatedEmbeddings();
    const embeddings = cachedEmbeddings(upstream, { cache: l1() });
    const first = embeddings.embedBatch({ inputs: ["a", "b"] });
    await tick();
    const second = embeddings.embedBatch({ inputs: ["b", "c", "a"] });
    await tick();
    upstream.release();
    await tick();
    upstream.release();
    const [one, two] = await Promise.all([first, second]);
    expect(upstream.calls.map((c) => c.inputs)).toEqual([["a", "b"], ["c"]]);
    expect(two.embeddings[0]).toEqual(one.embeddings[1]);
    expect(two.embeddings[2]).toEqual(one.embeddings[0]);
    expect(embeddings.stats().joined).toBe(2);
  });

  it("fetches a joined text itself when the call it waited on fails", async () => {
    const upstream = new GatedEmbeddings();
    upstream.failNext = true;
    const embeddings = cachedEmbeddings(upstream, { cache: l1() });
    const failing = embeddings.embedBatch({ inputs: ["a"] });
    await tick();
    const joining = embeddings.embedBatch({ inputs: ["a"] });
    await tick();
    upstream.release();
    await expect(failing).rejects.toBeInstanceOf(ConfigError);
    await tick();
    upstream.release();
    expect((await joining).embeddings[0]?.[0]).toBe(1);
    expect(upstream.calls.map((c) => c.inputs)).toEqual([["a"]]);
  });

  it("stops waiting on another call's fetch when its own caller aborts", async () => {
    const upstream = new GatedEmbeddings();
    const embeddings = cachedEmbeddings(upstream, { cache: l1() });
    const leader = embeddings.embedBatch({ inputs: ["a"] });
    await tick();
    const controller = new AbortController();
    const follower = embeddings.embedBatch({ inputs: ["a"] }, { signal: controller.signal });
    await tick();
    controller.abort();
    await expect(follower).rejects.toBeInstanceOf(AbortError);
    upstream.release();
    expect((await leader).embeddings).toHaveLength(1);
    const already = new AbortController();
    already.abort();
    const late = embeddings.embedBatch({ inputs: ["z"] });
    await tick();
    await expect(
      embeddings.embedBatch({ inputs: ["z"] }, { signal: already.signal }),
    ).rejects.toThrow();
    upstream.release();
    await late;
  });
});

describe("cachedEmbeddings over a TieredCache with an L2 store", () => {
  function tiered(store: MemoryStore, reports: CorruptEntryEvent[]) {
    return new TieredCache<CachedEmbedding>({
      l1: l1(),
      l2: store,
      codec: embeddingCodec,
      onCorrupt: (event) => reports.push(event),
    });
  }

  it("stores float32 bytes as base64 in L2 and serves another process's L1 from it", async () => {
    const store = new MemoryStore();
    const upstream = new RecordingEmbeddings();
    const writer = cachedEmbeddings(upstream, { cache: tiered(store, []) });
    const written = await writer.embedBatch({ inputs: ["hello"], dimensions: 768 });
    await writer.flush();
    const stored = (await store.get(keyOf(upstream, "hello", 768))) as string;
    const payload = JSON.parse(stored).data;
    expect(payload).toMatchObject({ v: EMBEDDING_VERSION, model: "embed-1", dims: 768 });
    expect(typeof payload.f32).toBe("string");
    // 768 float32s: 4096 base64 characters, a quarter of the same numbers as JSON.
    expect(stored.length).toBeLessThan(
      JSON.stringify(Array.from(written.embeddings[0] ?? [])).length / 2,
    );

    const reader = cachedEmbeddings(upstream, { cache: tiered(store, []) });
    const read = await reader.embedBatch({ inputs: ["hello"], dimensions: 768 });
    expect(read.embeddings).toEqual(written.embeddings);
    expect(read.cached).toBe(1);
    expect(reader.stats().hits).toEqual({ l1: 0, l2: 1 });
    expect(upstream.calls).toHaveLength(1);
  });

  it.each([
    ["not JSON", (_: string) => "{garbage"],
    ["truncated", (s: string) => s.slice(0, s.length - 40)],
    ["a vector cut short", (s: string) => s.replace(/"f32":"[^"]{8}/, '"f32":"')],
    ["a wrong dims", (s: string) => s.replace('"dims":3', '"dims":4')],
    ["dims out of range", (s: string) => s.replace('"dims":3', '"dims":0')],
    ["no model", (s: string) => s.replace('"model":"embed-1"', '"model":1')],
    ["no storedAt", (s: string) => s.replace(/"at":\d+/, '"at":"x"')],
    ["data that is not an object", (s: string) => s.replace(/"data":\{.*\}\}$/, '"data":[1]}')],
    [
      "non-finite values",
      (s: string) =>
        s.replace(
          /"f32":"[^"]*"/,
          `"f32":"${Buffer.from(new Float32Array([Number.NaN, 1, 2]).buffer).toString("base64")}"`,
        ),
    ],
    ["another version", (s: string) => s.replace('"v":1,"model"', '"v":9,"model"')],
    ["a vector that is not a string", (s: string) => s.replace(/"f32":"[^"]*"/, '"f32":[1,2,3]')],
  ])(
    "treats a poisoned entry (%s) as a miss with a corrupt event, never a crash",
    async (_, poison) => {
      const store = new MemoryStore();
      const upstream = new RecordingEmbeddings();
      const writer = cachedEmbeddings(upstream, { cache: tiered(store, []) });
      const good = await writer.embedBatch({ inputs: ["a"] });
      await writer.flush();
      const key = keyOf(upstream, "a");
      await store.set(key, poison((await store.get(key)) as string));

      const reports: CorruptEntryEvent[] = [];
      const reader = cachedEmbeddings(upstream, { cache: tiered(store, reports) });
      const again = await reader.embedBatch({ inputs: ["a"] });
      expect(again.embeddings).toEqual(good.embeddings);
      expect(again.cached).toBe(0);
      expect(upstream.calls).toHaveLength(2);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ key, level: "l2" });
      expect(reports[0]?.reason).not.toContain("AAAA");
    },
  );

  it("refuses a stored vector of other dimensions than asked for", async () => {
    const cache = l1();
    const reports: CorruptEntryEvent[] = [];
    const upstream = new RecordingEmbeddings();
    const embeddings = cachedEmbeddings(upstream, { cache, onCorrupt: (e) => reports.push(e) });
    const key = keyOf(upstream, "a", 3);
    cache.set(key, {
      v: EMBEDDING_VERSION,
      model: "embed-1",
      storedAt: 0,
      vector: new Float32Array(5),
    });
    await embeddings.embedBatch({ inputs: ["a"], dimensions: 3 });
    expect(reports[0]?.reason).toBe("embedding.vector: 5 dimensions, expected 3");
    expect(embeddings.stats().corrupt).toBe(1);
  });

  it.each([
    ["not an object", "x"],
    ["a plain array vector", { v: 1, model: "m", storedAt: 0, vector: [1, 2] }],
    ["an empty vector", { v: 1, model: "m", storedAt: 0, vector: new Float32Array(0) }],
    ["a NaN", { v: 1, model: "m", storedAt: 0, vector: Float32Array.from([Number.NaN]) }],
    ["no model", { v: 1, storedAt: 0, vector: new Float32Array(1) }],
    ["no storedAt", { v: 1, model: "m", vector: new Float32Array(1) }],
  ])("drops a bad L1 value (%s) as corrupt", async (_, value) => {
    const cache = new SmartCache<unknown>({ maxEntries: 10 });
    const reports: CorruptEntryEvent[] = [];
    const upstream = new RecordingEmbeddings();
    const embeddings = cachedEmbeddings(upstream, {
      cache: cache as SmartCache<CachedEmbedding>,
      onCorrupt: (e) => reports.push(e),
    });
    const key = keyOf(upstream, "a");
    cache.set(key, value);
    const result = await embeddings.embedBatch({ inputs: ["a"] });
    expect(result.cached).toBe(0);
    expect(reports).toHaveLength(1);
    expect(cache.get(key)).toMatchObject({ v: 1, model: "embed-1" });
  });
});

/** The key `cachedEmbeddings` gives `text` through `client` under default options. */
function keyOf(client: EmbeddingClient, text: string, dimensions?: number): string {
  return embeddingKeys([text], {
    provider: client.provider,
    model: client.model ?? "",
    scope: keyScope({})(client),
    dimensions,
    providerOptions: undefined,
    namespace: undefined,
  })[0] as string;
}
