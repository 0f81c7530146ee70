import { createOpenAI } from "@ai-sdk/openai";
import { llmKitMiddleware } from "@llm/ai-sdk";
import { cacheMiddleware, SmartCache } from "@llm/cache";
import { startMockProvider } from "@llm/testkit";
import { generateText, streamText, wrapLanguageModel } from "ai";

// A local server speaking OpenAI's wire format; drop baseURL and use a real key instead.
const server = await startMockProvider({ provider: "openai" });
const openai = createOpenAI({ apiKey: "sk-test", baseURL: server.baseURL });

const cache = cacheMiddleware({ cache: new SmartCache({ maxEntries: 10_000 }), ttlMs: 3_600_000 });
const model = wrapLanguageModel({
  model: openai.chat("gpt-4o-mini"),
  middleware: llmKitMiddleware({
    cache,
    retry: { maxAttempts: 3 },
    timeout: { totalMs: 30_000 },
  }),
});

const question = [{ role: "user" as const, content: "Why is the sky blue?" }];
const first = await generateText({ model, maxRetries: 0, messages: question });
const again = await generateText({ model, maxRetries: 0, messages: question });
console.log(first.providerMetadata?.llmKit?.origin); // { type: "upstream" }
console.log(again.providerMetadata?.llmKit?.origin); // { type: "cache", level: "l1", … }

// The cached answer replays as a stream, too.
const streamed = streamText({ model, maxRetries: 0, messages: question });
console.log((await streamed.text) === first.text); // true

console.log(cache.stats().upstreamCalls, server.requests.length); // 1 1
await server.close();
