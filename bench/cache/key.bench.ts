/**
 * Cost of a cache key for a ~2 KB chat request: @llm/cache's `requestKey`
 * (hand-written canonical JSON, one pass, keys sorted only inside free-form
 * JSON, no memo, then SHA-256) side by side with the naive `sha256(JSON.stringify(request))`
 * — which is NOT canonical (key order and `undefined` leak into the key) —
 * and with a generic "sort every object" canonicaliser. Target: ≤ 1.3× the naive key.
 */
import { createHash } from "node:crypto";
import { canonicalJson, canonicalRequest, requestKey } from "@llm/cache";
import type { ChatRequest } from "@llm/core";
import { fmt } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";

const TARGET = 1.3;

export function twoKilobyteRequest(): ChatRequest {
  return {
    model: "gpt-4o-mini",
    messages: [
      {
        role: "system",
        content:
          "You are a careful assistant for an online bookshop. Answer in at most three sentences, cite the catalogue id of every book you mention, and never invent prices. When unsure, say so and offer to look the item up with the search tool.",
      },
      {
        role: "user",
        content:
          "Hello! I am looking for a present for my niece, who is twelve and loves astronomy and mysteries.",
      },
      {
        role: "assistant",
        content:
          "Lovely! A few ideas: 'The Star Detectives' (cat. 4411), a mystery where two friends solve a case with a backyard telescope, and 'Night Sky Puzzles' (cat. 2290), a book of constellation riddles. Shall I check which are in stock?",
      },
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "Yes please, and also anything similar in paperback under twenty euros. She already has the first book of 'Moon Club' and the illustrated guide to the planets, so please skip those. She reads quickly, so a series would be perfect, ideally one where the second volume is also available.",
          },
        ],
      },
      {
        role: "assistant",
        content:
          "Checking the catalogue now: paperbacks under twenty euros about astronomy mysteries, leaving out the first 'Moon Club' book and the planets guide.",
      },
      { role: "user", content: "Thanks! And if there is a box set, tell me its price too." },
    ],
    tools: [
      {
        name: "search_catalogue",
        description: "Searches the shop catalogue by free text, with optional filters.",
        parameters: {
          type: "object",
          properties: {
            query: { type: "string", description: "Free-text query" },
            format: { type: "string", enum: ["paperback", "hardcover", "ebook"] },
            maxPrice: { type: "number", description: "Maximum price in euros" },
            inStockOnly: { type: "boolean" },
          },
          required: ["query"],
          additionalProperties: false,
        },
      },
      {
        name: "check_stock",
        description: "Returns the stock level of one catalogue id.",
        parameters: {
          type: "object",
          properties: { id: { type: "string", description: "Catalogue id" } },
          required: ["id"],
        },
      },
    ],
    toolChoice: "auto",
    temperature: 0,
    maxTokens: 400,
    metadata: { traceId: "9f1c2e", user: "u-1842" },
  };
}

const naiveKey = (request: ChatRequest) =>
  createHash("sha256").update(JSON.stringify(request)).digest("hex");
const sortEverythingKey = (request: ChatRequest) =>
  createHash("sha256").update(canonicalJson(request)).digest("hex");
const context = { provider: "openai", model: "gpt-4o-mini" };

/**
 * The machine is shared, so wall time measures the scheduler as much as the
 * code. Each batch is timed in CPU time of this process (`process.cpuUsage`,
 * immune to being descheduled), variants run interleaved in short batches
 * (round-robin, many rounds) and each keeps its median batch.
 */
function interleaved(
  variants: Record<string, () => unknown>,
  { rounds = 40, batch = 1_000, warmup = 5_000 } = {},
): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const [name, op] of Object.entries(variants)) {
    samples[name] = [];
    for (let i = 0; i < warmup; i++) op();
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, op] of Object.entries(variants)) {
      const before = process.cpuUsage();
      for (let i = 0; i < batch; i++) op();
      const used = process.cpuUsage(before);
      samples[name]!.push(((used.user + used.system) * 1_000) / batch);
    }
  }
  const median: Record<string, number> = {};
  for (const [name, list] of Object.entries(samples)) {
    list.sort((a, b) => a - b);
    median[name] = list[Math.floor(list.length / 2)]!;
  }
  return median;
}

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const sizes = quick ? { rounds: 5, batch: 200, warmup: 500 } : {};
  const request = twoKilobyteRequest();
  const bytes = Buffer.byteLength(JSON.stringify(request));
  let sink = 0;
  const m = interleaved(
    {
      naive: () => (sink += naiveKey(request).length),
      ours: () => (sink += requestKey(request, context).length),
      generic: () => (sink += sortEverythingKey(request).length),
      stringify: () => (sink += JSON.stringify(request).length),
      canonical: () => (sink += canonicalRequest(request, context).length),
    },
    sizes,
  );
  // Every op builds a request whose tool list was never seen (new objects, unique
  // descriptions): nothing a cache of canonical texts could serve, the worst case
  // for any key writer that relies on one.
  let n = 0;
  const fresh = (): ChatRequest => ({
    ...request,
    tools: request.tools!.map((t) => ({ ...t, description: `${t.description} #${n++}` })),
  });
  const cold = interleaved(
    {
      naive: () => (sink += naiveKey(fresh()).length),
      ours: () => (sink += requestKey(fresh(), context).length),
    },
    sizes,
  );
  if (sink === 0) throw new Error("unreachable");
  const { naive, ours, generic, stringify, canonical } = m as Record<string, number>;

  const ratio = (x: number, base: number) => fmt(x / base, 2);
  return {
    id: "cache/key",
    title: "Cache key cost: requestKey vs sha256(JSON.stringify)",
    command: rerunCommand("cache/key.bench.ts"),
    measures: ["packages/cache/src", "bench/cache/key.bench.ts"],
    intro: [
      `Node ${process.version}: CPU ns per key of a ${(bytes / 1024).toFixed(1)} KB chat request (7 messages, 2 tools). Variants run interleaved in short batches, timed in process CPU time (\`process.cpuUsage\`, immune to being descheduled); each keeps its median batch.`,
      "The baseline `sha256(JSON.stringify(request))` is NOT canonical (key order and `undefined` leak into the key): it is the floor a correct key has to be compared with, not an alternative.",
    ],
    tables: [
      {
        columns: ["key of a request", "bytes", "ns/op", "× naive sha256(JSON.stringify)"],
        rows: [
          ["naive: sha256(JSON.stringify(request)) — not canonical", bytes, fmt(naive, 0), "1.00"],
          [
            "**@llm/cache requestKey** (canonical + sha256)",
            bytes,
            fmt(ours, 0),
            ratio(ours, naive),
          ],
          [
            "generic canonical JSON (sort every object) + sha256",
            bytes,
            fmt(generic, 0),
            ratio(generic, naive),
          ],
          ["naive, on a tool list never seen before", bytes, fmt(cold.naive!, 0), "1.00"],
          [
            "**requestKey, on a tool list never seen before**",
            bytes,
            fmt(cold.ours!, 0),
            ratio(cold.ours!, cold.naive!),
          ],
          ["JSON.stringify alone", bytes, fmt(stringify, 0), ratio(stringify, naive)],
          ["canonicalRequest alone (no hash)", bytes, fmt(canonical, 0), ratio(canonical, naive)],
        ],
        note: 'The "never seen before" rows build each request with a fresh tool list (new objects, unique descriptions), so nothing could be served from a memo of canonical texts: the worst case. requestKey keeps no such memo; both rows pay the same writer.',
      },
    ],
    acceptance: [
      {
        check: "requestKey cost, repeated tool list",
        target: `≤ ${TARGET}×`,
        measured: `${fmt(ours, 0)} ns (${ratio(ours, naive)}×)`,
        baseline: `sha256(JSON.stringify(request)), ${fmt(naive, 0)} ns`,
        met: ours <= TARGET * naive,
      },
      {
        check: "requestKey cost, tool list never seen before",
        target: `≤ ${TARGET}×`,
        measured: `${fmt(cold.ours!, 0)} ns (${ratio(cold.ours!, cold.naive!)}×)`,
        baseline: `sha256(JSON.stringify(request)) on the same fresh requests, ${fmt(cold.naive!, 0)} ns`,
        met: cold.ours! <= TARGET * cold.naive!,
      },
    ],
  };
}

await runIfMain(import.meta.url, run);
