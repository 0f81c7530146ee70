/**
 * CPU per cache hit (issue #17), four ways, in one process, same 2 KB request:
 *
 *   1. a `createLLMContainer` client with default settings (hooks → request defaults →
 *      cacheMiddleware over TieredCache over a compressed SmartCache);
 *   2. `compose(provider, cacheMiddleware)` over the same default-configured TieredCache;
 *   3. LangChain.js: a `@langchain/core` chat model with `cache: new InMemoryCache()`,
 *      called with `model.invoke(messages)` as its users do;
 *   4. the AI SDK: `wrapLanguageModel` with the in-memory cache middleware its docs show,
 *      called through `generateText`.
 *
 * CPU is `process.cpuUsage()` (user + system) over a run of sequential awaited hits, after a
 * warm-up; the four run in interleaved rounds and the median round is kept, so load from
 * other processes falls on all of them alike. Each has its own call site (no shared
 * megamorphic loop). Our upstream is a testkit OpenAI server over a real socket (only the
 * first call reaches it); LangChain's and the AI SDK's are their own in-process fakes, so
 * their figures contain no HTTP either.
 *
 * For ours, a breakdown: the key, the L1 lookup (hot decoded form), a cold decode (what a hit
 * costs when its entry is not among the hot ones), and the middleware chain around them.
 */
import { InMemoryCache } from "@langchain/core/caches";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import {
  type CachedAnswer,
  cacheMiddleware,
  compressedJsonCodec,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import { type ChatRequest, compose } from "@llm/core";
import { createLLMContainer, TOKENS } from "@llm/di";
import { createOpenAI, provider as openaiProvider } from "@llm/provider-openai";
import { startMockProvider } from "@llm/testkit";
import { generateText, type LanguageModelMiddleware, wrapLanguageModel } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";

const TARGET_US = 15;
const SYSTEM = "You are a careful support assistant. Answer in two short paragraphs. ".repeat(8);
const QUESTION =
  "My order #48213 arrived with a cracked screen protector and the charger is missing. ".repeat(17);
const ANSWER =
  "Thanks for reporting this. A replacement protector and charger are on their way; ".repeat(18);

const request: ChatRequest = {
  messages: [
    { role: "system", content: SYSTEM },
    { role: "user", content: QUESTION },
  ],
  temperature: 0,
};

/** µs of CPU per call over `n` sequential awaited calls. */
async function cpuPerCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

/** Same for synchronous steps (the breakdown). */
function cpuPerSyncCall(call: () => unknown, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function run(options: BenchOptions): Promise<BenchResult> {
  const hits = options.quick ? 2_000 : 40_000;
  const rounds = options.quick ? 3 : 7;
  const mock = await startMockProvider({
    provider: "openai",
    maxRecorded: 0,
    responder: () => ({ text: ANSWER }),
  });

  // 1. Through the composition root, default settings.
  const llm = await createLLMContainer({
    config: {
      env: {},
      overrides: {
        clients: {
          main: {
            provider: "openai",
            model: "gpt-4o-mini",
            apiKey: "sk-bench-hit-path-0123456789",
            baseURL: mock.baseURL,
          },
        },
      },
    },
    providers: [openaiProvider],
  });
  const diClient = llm.clients.get("main");

  // 2. compose + cacheMiddleware over a TieredCache configured like the DI default.
  const provider = createOpenAI({
    apiKey: "sk-bench-hit-path-0123456789",
    baseURL: mock.baseURL,
    model: "gpt-4o-mini",
  });
  const l1 = new SmartCache<CachedAnswer>({
    maxEntries: 10_000,
    maxBytes: 64 * 1024 * 1024,
    ttlMs: 3_600_000,
    codec: compressedJsonCodec<CachedAnswer>(),
  });
  const tiered = new TieredCache<CachedAnswer>({ l1 });
  const middleware = cacheMiddleware({ cache: tiered });
  const composed = compose(provider, middleware);

  // 3. LangChain.js chat model with its InMemoryCache.
  const langchain = new FakeListChatModel({ responses: [ANSWER], cache: new InMemoryCache() });
  const langchainMessages = [new SystemMessage(SYSTEM), new HumanMessage(QUESTION)];

  // 4. AI SDK: wrapLanguageModel + the docs' in-memory cache middleware.
  const aiCache = new Map<string, unknown>();
  const aiCacheMiddleware: LanguageModelMiddleware = {
    specificationVersion: "v3",
    wrapGenerate: async ({ doGenerate, params }) => {
      const key = JSON.stringify(params);
      if (aiCache.has(key)) return aiCache.get(key) as Awaited<ReturnType<typeof doGenerate>>;
      const result = await doGenerate();
      aiCache.set(key, result);
      return result;
    },
  };
  const aiModel = wrapLanguageModel({
    model: new MockLanguageModelV3({
      doGenerate: {
        content: [{ type: "text", text: ANSWER }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: { total: 500, noCache: 500, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 300, text: 300, reasoning: 0 },
        },
        warnings: [],
      },
    }),
    middleware: aiCacheMiddleware,
  });
  // The system prompt goes in `system`, as the AI SDK asks (it warns about system messages).
  const aiMessages = [{ role: "user" as const, content: QUESTION }];

  // Each on its own call site.
  const viaDi = () => diClient.generate(request);
  const viaCompose = () => composed.generate(request);
  const viaLangChain = () => langchain.invoke(langchainMessages);
  const viaAiSdk = () =>
    generateText({ model: aiModel, system: SYSTEM, messages: aiMessages, temperature: 0 });

  try {
    // First calls fill the caches; check that the next ones really are hits.
    for (const call of [viaDi, viaCompose, viaLangChain, viaAiSdk]) await call();
    await llm.get(TOKENS.CacheMiddleware)?.flush();
    await middleware.flush();
    const diHit = await viaDi();
    const composedHit = await viaCompose();
    if (diHit.origin.type !== "cache" || composedHit.origin.type !== "cache")
      throw new Error("the warm calls were not cache hits");
    const upstreamBefore = mock.stats().requests;

    const warm = Math.min(hits, 5_000);
    const measured: Record<string, number[]> = { di: [], compose: [], langchain: [], ai: [] };
    for (const [name, call] of [
      ["di", viaDi],
      ["compose", viaCompose],
      ["langchain", viaLangChain],
      ["ai", viaAiSdk],
    ] as const) {
      await cpuPerCall(call, warm);
      measured[name]!.length = 0;
    }
    for (let round = 0; round < rounds; round++) {
      measured.di!.push(await cpuPerCall(viaDi, hits));
      measured.compose!.push(await cpuPerCall(viaCompose, hits));
      measured.langchain!.push(await cpuPerCall(viaLangChain, Math.ceil(hits / 4)));
      measured.ai!.push(await cpuPerCall(viaAiSdk, Math.ceil(hits / 4)));
    }
    if (mock.stats().requests !== upstreamBefore)
      throw new Error("a measured call reached upstream: not a pure hit");

    // Breakdown of ours (same objects as path 2).
    const key = middleware.keyOf(request, provider);
    const stored = compressedJsonCodec<CachedAnswer>({ hot: false });
    const encoded = stored.encode((await tiered.lookup(key))!.value);
    const steps = {
      key: median(
        Array.from({ length: rounds }, () =>
          cpuPerSyncCall(() => middleware.keyOf(request, provider), hits),
        ),
      ),
      lookup: median(Array.from({ length: rounds }, () => cpuPerSyncCall(() => l1.get(key), hits))),
      cold: median(
        Array.from({ length: rounds }, () =>
          cpuPerSyncCall(() => stored.decode(encoded), Math.ceil(hits / 4)),
        ),
      ),
    };

    const us = {
      di: median(measured.di!),
      compose: median(measured.compose!),
      langchain: median(measured.langchain!),
      ai: median(measured.ai!),
    };
    const middlewareRest = Math.max(0, us.compose - steps.key - steps.lookup);
    const diChain = Math.max(0, us.di - us.compose);
    const requestChars = JSON.stringify(request).length;
    const met = us.di <= TARGET_US;

    return {
      id: "cache/hit-path",
      title: "Cache hit cost: DI client, compose, LangChain, AI SDK",
      command: rerunCommand("cache/hit-path.bench.ts"),
      measures: [
        "bench/cache/hit-path.bench.ts",
        "packages/cache/src",
        "packages/core/src/compose.ts",
        "packages/di/src",
        "packages/hooks/src",
      ],
      intro: [
        `CPU time (user + system, \`process.cpuUsage\`) per cache hit, sequential awaited calls after a warm-up; ${rounds} interleaved rounds of ${hits.toLocaleString("en")} hits (LangChain and the AI SDK: a quarter as many), median round. Request: a system and a user message, ${requestChars.toLocaleString("en")} characters as JSON, temperature 0; answer ${ANSWER.length.toLocaleString("en")} characters.`,
        "LangChain.js (`@langchain/core` 1.4.0): `FakeListChatModel` with `cache: new InMemoryCache()`, `model.invoke(messages)`. AI SDK (`ai` 6.0.333): `generateText` over `wrapLanguageModel(MockLanguageModelV3, the docs' in-memory cache middleware)`. Both use in-process fake models, so none of the four pays for HTTP on a hit.",
      ],
      tables: [
        {
          title: "CPU per hit",
          columns: ["path", "µs CPU / hit", "vs DI client"],
          rows: [
            ["llm-kit: `createLLMContainer` client, default settings", fmt(us.di, 2), "1.00×"],
            [
              "llm-kit: `compose(provider, cacheMiddleware)`",
              fmt(us.compose, 2),
              `${fmt(us.compose / us.di, 2)}×`,
            ],
            [
              "LangChain.js `InMemoryCache` via a chat model",
              fmt(us.langchain, 2),
              `${fmt(us.langchain / us.di, 2)}×`,
            ],
            [
              "AI SDK `wrapLanguageModel` + in-memory cache middleware",
              fmt(us.ai, 2),
              `${fmt(us.ai / us.di, 2)}×`,
            ],
          ],
        },
        {
          title: "Where a hit's CPU goes (llm-kit)",
          columns: ["step", "µs CPU"],
          rows: [
            ["request key (canonical JSON + SHA-256)", fmt(steps.key, 2)],
            ["L1 lookup (W-TinyLFU bookkeeping + hot decoded value)", fmt(steps.lookup, 2)],
            [
              "cacheMiddleware and compose around them (origin, stats, trust check)",
              fmt(middlewareRest, 2),
            ],
            ["DI chain on top (client factory, hooks, request defaults)", fmt(diChain, 2)],
            [
              "for reference: a cold decode (inflate + parse) when the entry is not hot",
              fmt(steps.cold, 2),
            ],
          ],
          note: "The first four rows add up to the DI client's figure; the last is what a hit costs extra when its entry is not among the hot decoded ones (the compressed L1 keeps decoded values for the 256 most-hit entries, at most 4 MiB).",
        },
      ],
      acceptance: [
        {
          check: "CPU per hit through a DI client",
          target: `≤ ${TARGET_US} µs`,
          measured: `${fmt(us.di, 2)} µs`,
          baseline: `default createLLMContainer client, ${requestChars.toLocaleString("en")}-character request; issue #17 measured 36 µs before`,
          met,
        },
      ],
      notes: [
        "Figures from a shared machine are noisy; the interleaved rounds and the median keep the comparison fair, not the absolute values exact.",
      ],
      series: { us, steps: { ...steps, middlewareRest, diChain } },
    };
  } finally {
    await llm.dispose();
    await mock.close();
  }
}

await runIfMain(import.meta.url, run);
