/**
 * @llm/cache's `cachedEmbeddings` against LangChain's `CacheBackedEmbeddings`
 * (`@langchain/classic` 1.0.50, `fromBytesStore` over an `InMemoryStore`, as its docs set it
 * up), side by side in one process, on what a retrieval pipeline does with them:
 *
 *   1. CPU per cached vector — a corpus already embedded is embedded again (re-indexing, a
 *      retry of a failed ingest): every text is a hit; interleaved rounds, median round;
 *   2. bytes per cached vector — the corpus's vectors held by each cache (JS heap and
 *      ArrayBuffers), measured with `--expose-gc` after a full collection;
 *   3. texts sent upstream when several ingest workers embed overlapping chunk sets at the
 *      same time (shared boilerplate chunks, the same document queued twice).
 *
 * Both wrap the same deterministic, instant model (testkit's `seededVector`, 1,536
 * dimensions like `text-embedding-3-small`), so the figures are the caches' own cost.
 * Ours: a bare SmartCache L1 with its defaults (what `llm.embeddings` uses without an L2).
 */
import { CacheBackedEmbeddings } from "@langchain/classic/embeddings/cache_backed";
import { Embeddings } from "@langchain/core/embeddings";
import { InMemoryStore } from "@langchain/core/stores";
import { type CachedEmbedding, cachedEmbeddings, SmartCache } from "@llm/cache";
import { type EmbeddingClient, embedMany } from "@llm/core";
import { seededVector } from "@llm/testkit";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";
import { xorshift32 } from "../lib/zipf.ts";

const DIMENSIONS = 1536;
const MODEL = "text-embedding-3-small";
const BATCH = 100;

/** A chunk of a support knowledge base: ~450 characters, unique per index. */
const chunk = (i: number): string =>
  `Article ${i >> 3}, section ${i & 7}. To reset a device that does not respond, hold the power button for ten seconds, wait for the indicator to blink twice, then release it. If the indicator stays dark, connect the charger for at least thirty minutes and try again. Devices under warranty (order ${48_000 + i}) are replaced free of charge within 14 days of the report; keep the serial number and the receipt ready when you contact us.`;

/** The instant upstream model, counting what reaches it; ours and LangChain's forms. */
class Upstream {
  texts = 0;
  readonly client: EmbeddingClient = {
    provider: "bench",
    model: MODEL,
    maxInputsPerCall: 2048,
    embedBatch: async (request) => {
      this.texts += request.inputs.length;
      return {
        provider: "bench",
        model: MODEL,
        embeddings: request.inputs.map((text) => seededVector(text, DIMENSIONS, 1)),
        usage: { inputTokens: request.inputs.length * 100 },
      };
    },
  };
  readonly langchain: Embeddings;
  constructor() {
    const count = (n: number) => {
      this.texts += n;
    };
    this.langchain = new (class extends Embeddings {
      async embedDocuments(texts: string[]): Promise<number[][]> {
        count(texts.length);
        return texts.map((text) => Array.from(seededVector(text, DIMENSIONS, 1)));
      }
      async embedQuery(text: string): Promise<number[]> {
        count(1);
        return Array.from(seededVector(text, DIMENSIONS, 1));
      }
    })({});
  }
}

interface Subject {
  upstream: Upstream;
  embed(texts: string[]): Promise<ArrayLike<number>[]>;
}

function ours(entries: number): Subject {
  const upstream = new Upstream();
  const cache = new SmartCache<CachedEmbedding>({
    maxEntries: 2 * entries,
    maxBytes: 2 * 1024 * 1024 * 1024,
  });
  const client = cachedEmbeddings(upstream.client, { cache });
  return {
    upstream,
    embed: async (texts) => (await embedMany(client, texts)).embeddings,
  };
}

function langchain(): Subject {
  const upstream = new Upstream();
  const cached = CacheBackedEmbeddings.fromBytesStore(upstream.langchain, new InMemoryStore(), {
    namespace: MODEL,
  });
  return { upstream, embed: (texts) => cached.embedDocuments(texts) };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc");
  collect();
  collect();
};

async function embedAll(subject: Subject, corpus: string[]): Promise<void> {
  for (let i = 0; i < corpus.length; i += BATCH) await subject.embed(corpus.slice(i, i + BATCH));
}

/** µs of CPU per text to embed the (fully cached) corpus again. */
async function cpuPerCachedText(subject: Subject, corpus: string[]): Promise<number> {
  const start = process.cpuUsage();
  await embedAll(subject, corpus);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / corpus.length;
}

/** JS heap plus the off-heap memory of ArrayBuffers (where both caches' vector bytes live). */
const heldBytes = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
};

/** Bytes (heap + ArrayBuffers) per vector held after embedding the corpus once. */
async function bytesPerVector(make: () => Subject, corpus: string[]): Promise<number> {
  gc();
  const before = heldBytes();
  const subject = make();
  await embedAll(subject, corpus);
  gc();
  const after = heldBytes();
  // Keeps the subject alive through the measure, and checks nothing was evicted.
  const again = subject.upstream.texts;
  await subject.embed(corpus.slice(0, BATCH));
  if (subject.upstream.texts !== again) throw new Error("a cached vector was evicted");
  return (after - before) / corpus.length;
}

/**
 * `workers` concurrent ingests, each embedding `perWorker` chunks drawn (seeded) from a
 * shared pool of `pool` chunks, in batches: the texts that reach the model.
 */
async function concurrentIngest(
  subject: Subject,
  workers: number,
  perWorker: number,
  pool: number,
): Promise<{ upstream: number; distinct: number; requested: number }> {
  const random = xorshift32(7);
  const plans = Array.from({ length: workers }, () =>
    Array.from({ length: perWorker }, () => chunk(Math.floor(random() * pool))),
  );
  await Promise.all(
    plans.map(async (texts) => {
      for (let i = 0; i < texts.length; i += BATCH) await subject.embed(texts.slice(i, i + BATCH));
    }),
  );
  return {
    upstream: subject.upstream.texts,
    distinct: new Set(plans.flat()).size,
    requested: workers * perWorker,
  };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const texts = options.quick ? 300 : 3_000;
  const rounds = options.quick ? 3 : 7;
  const corpus = Array.from({ length: texts }, (_, i) => chunk(i));

  // 1. CPU per cached vector: both caches filled once, then the corpus again, interleaved.
  const subjects = { ours: ours(texts), langchain: langchain() };
  for (const subject of Object.values(subjects)) await embedAll(subject, corpus);
  const filled = {
    ours: subjects.ours.upstream.texts,
    langchain: subjects.langchain.upstream.texts,
  };
  const sample = await subjects.ours.embed([corpus[5]!]);
  const theirs = await subjects.langchain.embed([corpus[5]!]);
  if (Array.from(sample[0]!).some((v, i) => v !== theirs[0]![i]))
    throw new Error("the two caches returned different vectors");
  const cpu: Record<keyof typeof subjects, number[]> = { ours: [], langchain: [] };
  for (let round = 0; round < rounds; round++) {
    cpu.ours.push(await cpuPerCachedText(subjects.ours, corpus));
    cpu.langchain.push(await cpuPerCachedText(subjects.langchain, corpus));
  }
  for (const [name, subject] of Object.entries(subjects)) {
    if (subject.upstream.texts !== filled[name as keyof typeof filled])
      throw new Error(`${name}: a re-embed of a cached text reached the model`);
  }
  const us = { ours: median(cpu.ours), langchain: median(cpu.langchain) };

  // 2. Heap per cached vector.
  const bytes: Record<keyof typeof subjects, number[]> = { ours: [], langchain: [] };
  for (let round = 0; round < 3; round++) {
    bytes.ours.push(await bytesPerVector(() => ours(texts), corpus));
    bytes.langchain.push(await bytesPerVector(langchain, corpus));
  }
  const perVector = { ours: median(bytes.ours), langchain: median(bytes.langchain) };

  // 3. Concurrent ingest of overlapping chunk sets.
  const workers = 8;
  const perWorker = options.quick ? 200 : 1_000;
  const pool = options.quick ? 400 : 2_000;
  const ingest = {
    ours: await concurrentIngest(ours(pool), workers, perWorker, pool),
    langchain: await concurrentIngest(langchain(), workers, perWorker, pool),
  };

  const float32Bytes = DIMENSIONS * 4;
  return {
    id: "cache/embeddings",
    title: "Embedding cache: cachedEmbeddings vs LangChain CacheBackedEmbeddings",
    command: rerunCommand("cache/embeddings.bench.ts"),
    measures: [
      "bench/cache/embeddings.bench.ts",
      "packages/cache/src",
      "packages/core/src/embeddings",
    ],
    intro: [
      `Both caches wrap the same instant, deterministic model (${DIMENSIONS} dimensions, testkit's \`seededVector\`), so every figure is the cache's own cost. Corpus: ${texts.toLocaleString("en")} knowledge-base chunks of ~450 characters, embedded in batches of ${BATCH}. Ours: \`cachedEmbeddings\` over a \`SmartCache\` L1 with its defaults, called through \`embedMany\`. LangChain: \`CacheBackedEmbeddings.fromBytesStore(model, new InMemoryStore(), { namespace })\` from \`@langchain/classic\` 1.0.50 (SHA-256 keys, vectors stored as JSON bytes), called through \`embedDocuments\`. Both return the same vectors (checked).`,
      `CPU: user + system time (\`process.cpuUsage\`) to embed the whole corpus again once it is cached, ${rounds} interleaved rounds, median. Memory: growth of \`heapUsed + external\` (the JS heap and the ArrayBuffers that hold both caches' bytes) after a forced GC with the corpus cached, median of 3.`,
    ],
    tables: [
      {
        title: "Per cached vector",
        columns: [
          "cache",
          "µs CPU / cached text",
          "vs LangChain",
          "bytes held / vector",
          "vs LangChain",
        ],
        rows: [
          [
            "LangChain `CacheBackedEmbeddings` + `InMemoryStore`",
            fmt(us.langchain, 2),
            "1.00×",
            Math.round(perVector.langchain).toLocaleString("en"),
            "1.00×",
          ],
          [
            "`cachedEmbeddings` + `SmartCache`",
            fmt(us.ours, 2),
            `${fmt(us.ours / us.langchain, 2)}×`,
            Math.round(perVector.ours).toLocaleString("en"),
            `${fmt(perVector.ours / perVector.langchain, 2)}×`,
          ],
        ],
        note: `A vector's own float32 bytes are ${float32Bytes.toLocaleString("en")}. LangChain keeps each vector as the UTF-8 JSON of its numbers and parses it on every hit; ours keeps the \`Float32Array\` and hands out a copy (a caller writing into its vector cannot change the cache). LangChain's \`InMemoryStore\` has no bound; ours evicts by W-TinyLFU within \`maxEntries\` / \`maxBytes\` (here large enough to hold the corpus).`,
      },
      {
        title: `Concurrent ingest: ${workers} workers × ${perWorker.toLocaleString("en")} chunks drawn from ${pool.toLocaleString("en")}`,
        columns: [
          "cache",
          "texts requested",
          "distinct texts",
          "texts sent to the model",
          "sent ÷ distinct",
        ],
        rows: (["langchain", "ours"] as const).map((name) => [
          name === "ours" ? "`cachedEmbeddings`" : "LangChain `CacheBackedEmbeddings`",
          ingest[name].requested.toLocaleString("en"),
          ingest[name].distinct.toLocaleString("en"),
          ingest[name].upstream.toLocaleString("en"),
          `${fmt(ingest[name].upstream / ingest[name].distinct, 2)}×`,
        ]),
        note: "Workers run concurrently (each awaits its own batches in order). A text repeated inside one batch, or being fetched by another worker at that moment, is sent once by ours (single-flight per text); LangChain looks up the store, then sends every text it did not find, duplicates included.",
      },
    ],
    acceptance: [
      {
        check: "embeddings: CPU per cached vector, `cachedEmbeddings` vs `CacheBackedEmbeddings`",
        target: "—",
        measured: `${fmt(us.ours / us.langchain, 2)}× (${fmt(us.ours, 2)} vs ${fmt(us.langchain, 2)} µs)`,
        baseline:
          "@langchain/classic 1.0.50 `CacheBackedEmbeddings` + `InMemoryStore`, same model and corpus",
        met: null,
      },
      {
        check:
          "embeddings: memory per cached vector, `cachedEmbeddings` vs `CacheBackedEmbeddings`",
        target: "—",
        measured: `${fmt(perVector.ours / perVector.langchain, 2)}×`,
        baseline:
          "@langchain/classic 1.0.50 `CacheBackedEmbeddings` + `InMemoryStore`, same corpus",
        met: null,
      },
      {
        check:
          "embeddings: texts sent upstream by concurrent overlapping ingests (÷ distinct texts)",
        target: "—",
        measured: `${fmt(ingest.ours.upstream / ingest.ours.distinct, 2)}× vs ${fmt(ingest.langchain.upstream / ingest.langchain.distinct, 2)}×`,
        baseline: "@langchain/classic 1.0.50 `CacheBackedEmbeddings`, same workers and chunks",
        met: null,
      },
    ],
    notes: [
      "Figures from a shared machine are noisy; the interleaved rounds and the median keep the comparison fair, not the absolute values exact.",
    ],
    series: { us, perVector, ingest },
  };
}

await runIfMain(import.meta.url, run);
