import { collectStream, compose, RateLimitError } from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemoryRateLimitStore } from "../src/memory-rate-limit-store.js";
import { RateLimit } from "../src/rate-limit.js";
import { RateLimitBudgetError } from "../src/rate-limit-errors.js";
import { rateLimitMiddleware } from "../src/rate-limit-middleware.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
});
afterAll(() => mock.close());

/** An OpenAI client on the testkit server, behind a budget on a clock the test moves. */
function limitedClient(options: {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  learn?: boolean;
}) {
  let now = 5_000_000;
  const store = new MemoryRateLimitStore({ now: () => now });
  const limit = new RateLimit({ key: "client:test", store, maxWaitMs: 0, ...options });
  const openai = createOpenAI({ apiKey: "sk-test", baseURL: mock.baseURL, model: "gpt-4o-mini" });
  const middleware = rateLimitMiddleware(
    limit,
    options.learn === undefined ? {} : { learn: options.learn },
  );
  return { client: compose(openai, middleware), limit, advance: (ms: number) => (now += ms) };
}

const ask = (text: string, maxTokens?: number) => ({
  messages: [{ role: "user" as const, content: text }],
  ...(maxTokens === undefined ? {} : { maxTokens }),
});

describe("rateLimitMiddleware over a real OpenAI wire", () => {
  it("spends one request per call and refuses beyond the budget before anything is sent", async () => {
    const { client } = limitedClient({ requestsPerMinute: 2 });
    const before = mock.requests.length;
    await client.generate(ask("one"));
    await collectStream(client.stream(ask("two")));
    await expect(client.generate(ask("three"))).rejects.toBeInstanceOf(RateLimitBudgetError);
    expect(mock.requests.length - before).toBe(2);
  });

  it("charges the estimate up front and settles it to the real usage", async () => {
    const { client } = limitedClient({ tokensPerMinute: 1_000 });
    // Estimate: a few prompt tokens + maxTokens 900; real usage is 40 tokens.
    mock.enqueue({ text: "ok", usage: { input: 30, output: 10 } });
    await client.generate(ask("hello", 900));
    // Settled to 40, so 900 more fit.
    mock.enqueue({ text: "ok", usage: { input: 30, output: 10 } });
    await client.generate(ask("hello", 900));
    mock.enqueue({ text: "ok", usage: { input: 30, output: 10 } });
    await collectStream(client.stream(ask("hello", 900)));
    await expect(client.generate(ask("hello", 990))).rejects.toMatchObject({ reason: "wait" });
  });

  it("learns the provider's remaining budget from its headers (generate and stream)", async () => {
    const { client } = limitedClient({ requestsPerMinute: 600 });
    mock.enqueue({
      text: "ok",
      headers: { "x-ratelimit-remaining-requests": "1", "x-ratelimit-reset-requests": "6s" },
    });
    const response = await client.generate(ask("a"));
    expect(response.rateLimit).toMatchObject({ requests: { remaining: 1, resetMs: 6_000 } });
    await client.generate(ask("b"));
    await expect(client.generate(ask("c"))).rejects.toBeInstanceOf(RateLimitBudgetError);

    const streamed = limitedClient({ requestsPerMinute: 600 });
    mock.enqueue({ text: "ok", headers: { "x-ratelimit-remaining-requests": "0" } });
    await collectStream(streamed.client.stream(ask("d")));
    await expect(streamed.client.generate(ask("e"))).rejects.toBeInstanceOf(RateLimitBudgetError);
  });

  it("holds every caller of the budget back for a 429's retry-after", async () => {
    const { client, advance } = limitedClient({ requestsPerMinute: 600 });
    mock.enqueue({ status: 429, retryAfterSeconds: 20 });
    const upstream = await client.generate(ask("a")).catch((e: unknown) => e);
    expect(upstream).toBeInstanceOf(RateLimitError);
    expect(upstream).not.toBeInstanceOf(RateLimitBudgetError);
    await expect(client.generate(ask("b"))).rejects.toMatchObject({ reason: "wait" });
    advance(20_000);
    await client.generate(ask("c"));

    const streamed = limitedClient({ requestsPerMinute: 600 });
    mock.enqueue({ status: 429, retryAfterSeconds: 20 });
    await expect(collectStream(streamed.client.stream(ask("d")))).rejects.toBeInstanceOf(
      RateLimitError,
    );
    await expect(streamed.client.generate(ask("e"))).rejects.toBeInstanceOf(RateLimitBudgetError);
  });

  it("learns nothing when told not to", async () => {
    const { client } = limitedClient({ requestsPerMinute: 600, learn: false });
    mock.enqueue({ status: 429, retryAfterSeconds: 20 });
    await expect(client.generate(ask("a"))).rejects.toBeInstanceOf(RateLimitError);
    mock.enqueue({ text: "ok", headers: { "x-ratelimit-remaining-requests": "0" } });
    await client.generate(ask("b"));
    await client.generate(ask("c"));
  });
});
