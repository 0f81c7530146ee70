/**
 * The e2e configurations. Each turns a trace entry into one chat call, waits for the
 * whole answer (a stream is read to its end) and says whether it succeeded.
 */
import {
  type CachedAnswer,
  type CacheMiddleware,
  cacheMiddleware,
  type PricingTable,
  SmartCache,
  TieredCache,
} from "@llm/cache";
import { type ChatRequest, compose, type LLMClient, retryMiddleware } from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { createOpenAI } from "@llm/provider-openai";
import OpenAI from "openai";
import { promptText, SYSTEM_PROMPT, type TraceEntry } from "./workload.ts";

export const MODEL = "gpt-4o-mini";
const API_KEY = "sk-bench-e2e-not-a-real-key";

/**
 * gpt-4o-mini list price (USD per million tokens, openai.com/api/pricing), used only to
 * turn the tokens a cache hit did not pay for into money.
 */
export const PRICING: PricingTable = { [MODEL]: { inputPerMillion: 0.15, outputPerMillion: 0.6 } };

export interface Configuration {
  name: string;
  call(entry: TraceEntry): Promise<void>;
  close(): Promise<void>;
}

function chatRequest(entry: TraceEntry): ChatRequest {
  return {
    model: MODEL,
    temperature: 0,
    messages: [
      { role: "system", content: SYSTEM_PROMPT },
      { role: "user", content: promptText(entry.promptId) },
    ],
  };
}

function sdkMessages(entry: TraceEntry) {
  return [
    { role: "system" as const, content: SYSTEM_PROMPT },
    { role: "user" as const, content: promptText(entry.promptId) },
  ];
}

/**
 * Naive: Node's global `fetch`, no cache. Streams are read with a TextDecoder, split on
 * newlines and each `data:` line JSON-parsed.
 *
 * - `keepAlive: true` — fetch's default: the global undici agent keeps connections alive.
 *   The fair floor for what a careful hand-written client costs.
 * - `keepAlive: false` — `Connection: close`, a NEW TCP connection per request (the
 *   server's connection counter confirms it): what the plan started from. Reported, but a
 *   comparison with it measures the TCP handshake as much as the library.
 */
export function naiveConfiguration(
  baseURL: string,
  { keepAlive }: { keepAlive: boolean },
): Configuration {
  const url = `${baseURL}/chat/completions`;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    authorization: `Bearer ${API_KEY}`,
    ...(keepAlive ? {} : { connection: "close" }),
  };
  return {
    name: keepAlive
      ? "naive, keep-alive: global fetch, no cache"
      : "naive, Connection: close: global fetch, new connection per request, no cache",
    async call(entry) {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify({
          model: MODEL,
          temperature: 0,
          messages: sdkMessages(entry),
          ...(entry.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
        }),
      });
      if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
      if (!entry.stream) {
        const body = (await response.json()) as { choices?: unknown[] };
        if (!Array.isArray(body.choices)) throw new Error("no choices");
        return;
      }
      const text = new TextDecoder();
      let buffer = "";
      let done = false;
      for await (const chunk of response.body) {
        buffer += text.decode(chunk, { stream: true });
        let nl = buffer.indexOf("\n");
        while (nl !== -1) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === "data: [DONE]") done = true;
          else if (line.startsWith("data:")) JSON.parse(line.slice(5));
          nl = buffer.indexOf("\n");
        }
      }
      if (!done) throw new Error("stream ended without [DONE]");
    },
    close: async () => {},
  };
}

/** (b) The official `openai` SDK 6.30.1, default settings (its own fetch, 2 retries), no cache. */
export function sdkConfiguration(baseURL: string): Configuration {
  const client = new OpenAI({ baseURL, apiKey: API_KEY });
  return {
    name: "openai SDK 6.30.1, defaults, no cache",
    async call(entry) {
      if (!entry.stream) {
        const completion = await client.chat.completions.create({
          model: MODEL,
          temperature: 0,
          messages: sdkMessages(entry),
        });
        if (completion.choices.length === 0) throw new Error("no choices");
        return;
      }
      const stream = await client.chat.completions.create({
        model: MODEL,
        temperature: 0,
        messages: sdkMessages(entry),
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _chunk of stream) {
        // read to the end
      }
    },
    close: async () => {},
  };
}

export interface LlmKitConfiguration extends Configuration {
  /** Undefined when built with `cache: false`. */
  cache: CacheMiddleware | undefined;
  pool: ConnectionPool;
}

/**
 * llm-kit: @llm/provider-openai on an @llm/pool `ConnectionPool`, composed with
 * @llm/cache (`cacheMiddleware` over a `TieredCache` whose L1 is a `SmartCache` — its
 * defaults, W-TinyLFU with the adaptive window — sized as @llm/config's defaults:
 * 10,000 entries, 64 MB, 1 h TTL; no L2) and @llm/core's `retryMiddleware` (defaults).
 * Order as @llm/di builds it: cache outside retry, so a hit pays no retry bookkeeping.
 * With `cache: false` the same client without `cacheMiddleware`: the library's own cost
 * against the naive clients and the SDK, and the baseline of the cache's effect.
 */
export function llmKitConfiguration(
  baseURL: string,
  { cache: withCache }: { cache: boolean },
): LlmKitConfiguration {
  const pool = new ConnectionPool();
  const provider = createOpenAI({ baseURL, apiKey: API_KEY, transport: pool });
  const l1 = new SmartCache<CachedAnswer>({
    maxEntries: 10_000,
    maxBytes: 64 * 1024 * 1024,
    ttlMs: 3_600_000,
    name: "llm-cache-l1",
  });
  const cache = withCache
    ? cacheMiddleware({ cache: new TieredCache<CachedAnswer>({ l1 }), pricing: PRICING })
    : undefined;
  const client: LLMClient = cache
    ? compose(provider, cache, retryMiddleware())
    : compose(provider, retryMiddleware());
  return {
    name: withCache
      ? "llm-kit: provider-openai + pool + cache + retry"
      : "llm-kit, cache off: provider-openai + pool + retry",
    cache,
    pool,
    async call(entry) {
      const request = chatRequest(entry);
      if (!entry.stream) {
        await client.generate(request);
        return;
      }
      let finished = false;
      for await (const event of client.stream(request)) {
        if (event.type === "error") throw event.error;
        if (event.type === "finish") finished = true;
      }
      if (!finished) throw new Error("stream ended without finish");
    },
    async close() {
      await cache?.flush();
      await pool.close();
    },
  };
}
