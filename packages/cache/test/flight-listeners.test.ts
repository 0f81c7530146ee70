import { getEventListeners } from "node:events";
import { type CallOptions, type ChatRequest, compose, type LLMClient } from "@llm/core";
import { describe, expect, it } from "vitest";
import { cacheMiddleware } from "../src/middleware/cache-middleware.js";
import type { CachedAnswer } from "../src/middleware/cached-answer.js";
import { SmartCache } from "../src/smart-cache/smart-cache.js";
import { TieredCache } from "../src/tiered/tiered-cache.js";
import { drain, FakeClient } from "./fake-client.js";

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;

describe("single-flight and the caller's abort signal", () => {
  it("adds no listener to a shared signal over 10,000 coalesced requests, holding at most one at a time", async () => {
    const caller = new AbortController();
    const fake = new FakeClient();
    fake.behaviour = { delayMs: 2 };
    let peak = 0;
    // Samples while the joiners of a flight are waiting on it.
    const probe: LLMClient = {
      provider: fake.provider,
      async generate(request: ChatRequest, options?: CallOptions) {
        const response = await fake.generate(request, options);
        peak = Math.max(peak, listeners(caller.signal));
        return response;
      },
      stream(request: ChatRequest, options?: CallOptions) {
        peak = Math.max(peak, listeners(caller.signal));
        return fake.stream(request, options);
      },
    };
    const cache = new TieredCache<CachedAnswer>({ l1: new SmartCache({ maxEntries: 1_000 }) });
    const client = compose(probe, cacheMiddleware({ cache }));
    const options = { signal: caller.signal };
    // Samples the shared signal on every turn of the event loop while the run lasts.
    let running = true;
    const sampler = (async () => {
      while (running) {
        peak = Math.max(peak, listeners(caller.signal));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let batch = 0; batch < 200; batch++) {
      const request: ChatRequest = {
        messages: [{ role: "user", content: `question ${batch}` }],
        temperature: 0,
      };
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          i % 5 === 0 ? drain(client.stream(request, options)) : client.generate(request, options),
        ),
      );
    }
    running = false;
    await sampler;
    expect(fake.calls).toBe(200);
    expect(listeners(caller.signal)).toBe(0);
    expect(peak).toBeLessThanOrEqual(1);
  });
});
