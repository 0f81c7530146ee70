import type { ChatRequest, ChatResponse, LLMClient, StreamEvent } from "@llm/core";
import { compose, emptyUsage } from "@llm/core";
import { expect, it } from "vitest";
import { poisonedAnswers } from "../middleware/answer-samples.js";
import { cacheMiddleware } from "../middleware/cache-middleware.js";
import { type CachedAnswer, cachedAnswerProblem } from "../middleware/cached-answer.js";
import { compressedJsonCodec } from "../smart-cache/codecs.js";
import { SmartCache } from "../smart-cache/smart-cache.js";
import type { EntryIntegrityOptions } from "../tiered/entry-integrity.js";
import { type CorruptEntryEvent, TieredCache } from "../tiered/tiered-cache.js";
import type { CacheStore } from "./cache-store.js";

/** The smallest honest upstream: answers with the question, counts its calls. */
class EchoClient implements LLMClient {
  readonly provider = "echo";
  readonly model = "echo-1";
  calls = 0;

  async generate(request: ChatRequest): Promise<ChatResponse> {
    this.calls++;
    const last = request.messages.at(-1)?.content;
    const text = `echo: ${typeof last === "string" ? last : "?"}`;
    return {
      id: `echo-${this.calls}`,
      model: this.model,
      provider: this.provider,
      text,
      content: [{ type: "text", text }],
      toolCalls: [],
      finishReason: "stop",
      usage: { ...emptyUsage(), inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      origin: { type: "upstream" },
    };
  }

  async *stream(request: ChatRequest): AsyncGenerator<StreamEvent> {
    const response = await this.generate(request);
    yield {
      type: "start",
      id: response.id,
      model: response.model,
      provider: response.provider,
      origin: response.origin,
    };
    yield { type: "text-delta", delta: response.text };
    yield { type: "finish", finishReason: "stop", usage: response.usage };
  }
}

const ASK: ChatRequest = { messages: [{ role: "user", content: "is this entry honest?" }] };

/**
 * The cache read path over one store, as `describeCacheStore` runs it: the
 * store only moves strings, so everything here must hold for every driver —
 * damaged, forged and oversized entries are misses, deleted from the store.
 */
export function readPathConformance(store: () => CacheStore): void {
  function rig(options: { integrity?: EntryIntegrityOptions; maxEntryBytes?: number } = {}) {
    const upstream = new EchoClient();
    const reports: CorruptEntryEvent[] = [];
    const tiered = new TieredCache<CachedAnswer>({
      l1: new SmartCache<CachedAnswer>({ maxEntries: 10, codec: compressedJsonCodec() }),
      l2: store(),
      validate: (value) => cachedAnswerProblem(value),
      onCorrupt: (event) => reports.push(event),
      ...options,
    });
    const cache = cacheMiddleware({ cache: tiered });
    const client = compose(upstream, cache);
    const key = cache.keyOf(ASK, upstream);
    return { upstream, reports, tiered, cache, client, key };
  }

  const envelope = (data: unknown) => JSON.stringify({ v: 1, at: 1, exp: null, tags: [], data });

  it("serves every poisoned answer shape as a miss, reports it by path and deletes it from the store", async () => {
    for (const { answer, path } of poisonedAnswers()) {
      const { client, reports, key, cache } = rig();
      await store().set(key, envelope(answer));
      const response = await client.generate(ASK);
      expect(response.origin).toEqual({ type: "upstream" });
      expect(reports).toEqual([{ key, level: "l2", reason: expect.stringContaining(path) }]);
      await cache.flush();
      // The fresh answer replaced it in the store.
      expect(await store().get(key)).toContain('"echo: is this entry honest?"');
    }
  });

  it("refuses unsigned and forged entries when integrity is on, and deletes them", async () => {
    const signed = rig({ integrity: { secret: "conformance-secret-0123456789" } });
    for (const planted of [
      envelope({ v: 1, kind: "stream", storedAt: 1, events: [] }),
      `h1.${"A".repeat(43)}.${envelope({ v: 1 })}`,
    ]) {
      signed.reports.length = 0;
      signed.tiered.l1.clear();
      await store().set(signed.key, planted);
      expect((await signed.client.generate(ASK)).origin).toEqual({ type: "upstream" });
      expect(signed.reports.map((r) => r.reason)).toEqual([
        expect.stringMatching(/^entry (is not signed|signature does not verify)$/),
      ]);
      await signed.cache.flush();
      expect(await store().get(signed.key)).toMatch(/^h1\./);
    }
  });

  it("refuses an entry larger than the bound before parsing it", async () => {
    const { client, reports, key } = rig({ maxEntryBytes: 1024 });
    await store().set(key, envelope({ padding: "x".repeat(4096) }));
    expect((await client.generate(ASK)).origin).toEqual({ type: "upstream" });
    expect(reports[0]?.reason).toMatch(/more than 1024$/);
  });
}
