/**
 * @llm/langchain's `LLMKitCache` against LangChain's own `InMemoryCache`, side by side in one
 * process, on what a LangChain user sees:
 *
 *   1. CPU per cache hit of `model.invoke(messages)` — the same `FakeListChatModel`, one
 *      instance per cache, interleaved rounds, median round;
 *   2. heap bytes per stored entry — N realistic chat generations (an `AIMessage` with text,
 *      id, response metadata, usage) written through each cache's `update`, measured with
 *      `--expose-gc` after a full collection.
 *
 * Ours: `createLangChainCache()` (a plain SmartCache L1, no L2), and the same with
 * `compressedJsonCodec()` (what the README recommends when memory matters). Theirs keeps the
 * generation objects themselves in a `Map`; ours keeps the compact `StoredGenerations` form,
 * checks it on every read and builds fresh LangChain objects from it.
 */
import { InMemoryCache } from "@langchain/core/caches";
import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { ChatGeneration } from "@langchain/core/outputs";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { compressedJsonCodec } from "@llm/cache";
import { createLangChainCache, type StoredGenerations } from "@llm/langchain";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";

const SYSTEM = "You are a careful support assistant. Answer in two short paragraphs. ".repeat(8);
const QUESTION =
  "My order #48213 arrived with a cracked screen protector and the charger is missing. ".repeat(17);
const ANSWER =
  "Thanks for reporting this. A replacement protector and charger are on their way; ".repeat(18);

type Cache = InMemoryCache | ReturnType<typeof createLangChainCache>["cache"];

/** µs of CPU per call over `n` sequential awaited calls. */
async function cpuPerCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** A chat generation as a real model returns it (each call a fresh object graph). */
function generation(i: number): ChatGeneration {
  const text = `${ANSWER} (ticket ${i})`;
  return {
    text,
    message: new AIMessage({
      content: text,
      id: `chatcmpl-${i}`,
      response_metadata: {
        model_name: "gpt-4o-mini",
        model_provider: "openai",
        finish_reason: "stop",
      },
      usage_metadata: { input_tokens: 412, output_tokens: 290, total_tokens: 702 },
    }),
    generationInfo: { finish_reason: "stop" },
  };
}

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error("run with node --expose-gc");
  collect();
  collect();
};

/** Heap bytes per entry after writing `n` generations through `cache.update`. */
async function bytesPerEntry(make: () => Cache, n: number): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const cache = make();
  for (let i = 0; i < n; i++)
    await cache.update(`Human: question ${i}`, "llm-string", [generation(i)]);
  gc();
  const after = process.memoryUsage().heapUsed;
  if ((await cache.lookup(`Human: question ${n - 1}`, "llm-string")) === null)
    throw new Error("the last entry is missing: the cache evicted during the measure");
  return (after - before) / n;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const hits = options.quick ? 1_000 : 20_000;
  const rounds = options.quick ? 3 : 7;
  const entries = options.quick ? 1_000 : 10_000;
  const l1 = { maxEntries: 2 * entries, maxBytes: 1024 * 1024 * 1024 };

  const makers: Record<string, () => Cache> = {
    langchain: () => new InMemoryCache(),
    ours: () => createLangChainCache({ l1 }).cache,
    compressed: () =>
      createLangChainCache({ l1: { ...l1, codec: compressedJsonCodec<StoredGenerations>() } })
        .cache,
  };
  const messages = [new SystemMessage(SYSTEM), new HumanMessage(QUESTION)];
  const models = Object.fromEntries(
    Object.entries(makers).map(([name, make]) => [
      name,
      // A second response that only a miss would return: a hit must give the first.
      new FakeListChatModel({ responses: [ANSWER, "not from the cache"], cache: make() }),
    ]),
  );
  // Each on its own call site.
  const viaLangChain = () => models.langchain!.invoke(messages);
  const viaOurs = () => models.ours!.invoke(messages);
  const viaCompressed = () => models.compressed!.invoke(messages);
  const calls = { langchain: viaLangChain, ours: viaOurs, compressed: viaCompressed };

  for (const call of Object.values(calls)) {
    await call(); // fills the cache
    const hit = await call();
    if (hit.content !== ANSWER) throw new Error("a hit did not return the answer");
    await cpuPerCall(call, Math.min(hits, 2_000));
  }
  const measured: Record<string, number[]> = { langchain: [], ours: [], compressed: [] };
  for (let round = 0; round < rounds; round++) {
    measured.langchain!.push(await cpuPerCall(viaLangChain, hits));
    measured.ours!.push(await cpuPerCall(viaOurs, hits));
    measured.compressed!.push(await cpuPerCall(viaCompressed, hits));
  }
  for (const [name, model] of Object.entries(models)) {
    if (model.i !== 1) throw new Error(`${name}: ${model.i - 1} calls missed the cache`);
  }
  const us = {
    langchain: median(measured.langchain!),
    ours: median(measured.ours!),
    compressed: median(measured.compressed!),
  };

  const bytes: Record<string, number[]> = { langchain: [], ours: [], compressed: [] };
  for (let round = 0; round < 3; round++) {
    for (const [name, make] of Object.entries(makers))
      bytes[name]!.push(await bytesPerEntry(make, entries));
  }
  const perEntry = {
    langchain: median(bytes.langchain!),
    ours: median(bytes.ours!),
    compressed: median(bytes.compressed!),
  };
  const row = (label: string, name: keyof typeof us) => [
    label,
    fmt(us[name], 2),
    `${fmt(us[name] / us.langchain, 2)}×`,
    Math.round(perEntry[name]).toLocaleString("en"),
    `${fmt(perEntry[name] / perEntry.langchain, 2)}×`,
  ];

  return {
    id: "cache/langchain-cache",
    title: "LangChain cache: LLMKitCache vs InMemoryCache",
    command: rerunCommand("cache/langchain-cache.bench.ts"),
    measures: [
      "bench/cache/langchain-cache.bench.ts",
      "packages/langchain/src/cache",
      "packages/cache/src",
    ],
    intro: [
      `CPU time (user + system, \`process.cpuUsage\`) per \`FakeListChatModel.invoke(messages)\` answered from the cache (\`@langchain/core\` 1.4.0), sequential awaited calls after a warm-up; ${rounds} interleaved rounds of ${hits.toLocaleString("en")} hits, median round. Prompt: a system and a user message (${(SYSTEM.length + QUESTION.length).toLocaleString("en")} characters); answer ${ANSWER.length.toLocaleString("en")} characters.`,
      `Heap per entry: ${entries.toLocaleString("en")} chat generations (an \`AIMessage\` with text, id, response metadata and usage) written through \`cache.update\`, \`heapUsed\` after a forced GC, median of 3.`,
    ],
    tables: [
      {
        title: "Per hit and per entry",
        columns: [
          "cache",
          "µs CPU / hit",
          "vs InMemoryCache",
          "heap bytes / entry",
          "vs InMemoryCache",
        ],
        rows: [
          row("LangChain `InMemoryCache` (a `Map` of the generation objects)", "langchain"),
          row("`createLangChainCache()`: SmartCache L1, compact entries, checked on read", "ours"),
          row("the same with `compressedJsonCodec()`", "compressed"),
        ],
        note: "A hit through ours also hashes the prompt (SHA-256), runs W-TinyLFU bookkeeping, checks the stored entry's shape and bounds, and builds fresh LangChain objects (LangChain mutates what a cache returns; `InMemoryCache` hands back, and lets LangChain mutate, the stored objects themselves).",
      },
    ],
    acceptance: [
      {
        check: "LangChain: heap per cached generation, `createLangChainCache()` vs `InMemoryCache`",
        target: "—",
        measured: `${fmt(perEntry.ours / perEntry.langchain, 2)}× (compressed ${fmt(perEntry.compressed / perEntry.langchain, 2)}×)`,
        baseline: "@langchain/core 1.4.0 `InMemoryCache`, same generations",
        met: null,
      },
      {
        check: "LangChain: CPU per cache hit, `createLangChainCache()` vs `InMemoryCache`",
        target: "—",
        measured: `${fmt(us.ours / us.langchain, 2)}×`,
        baseline: "@langchain/core 1.4.0 `InMemoryCache`, same model and prompt",
        met: null,
      },
    ],
    notes: [
      "Figures from a shared machine are noisy; the interleaved rounds and the median keep the comparison fair, not the absolute values exact.",
    ],
    series: { us, perEntry },
  };
}

await runIfMain(import.meta.url, run);
