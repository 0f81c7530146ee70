/**
 * Issue #11, item 2: well-formed-looking poisoned L2 entries (`toolCalls:[null]`,
 * `content:[null]`, a recorded stream whose finish has no usage, …) must never
 * crash a call. Through a real composition root (`createLLMContainer`) over
 * real stores (SQLite on disk, the Redis at 127.0.0.1:6379): every damaged,
 * forged or unsigned entry is a miss, reported once, deleted and replaced.
 */
import { writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { fullResponse, fullStream, poisonedAnswers } from "@llm/cache/testing";
import type { ChatRequest, LLMClient } from "@llm/core";
import { createLLMContainer, type LLMContainer, TOKENS } from "@llm/di";
import { provider as openaiProvider } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzParams } from "./support/fuzz.js";
import { mutatedJson } from "./support/mutate.js";
import { tempDir } from "./support/temp-dir.js";

const RUNS = 150;
/** Store packages resolve from this suite's own dependencies. */
const here = dirname(fileURLToPath(import.meta.url));
const SECRET = "reliability-integrity-secret-0123";

let mock: MockProvider;
const tmp = tempDir("poison");
beforeAll(async () => {
  mock = await startMockProvider({
    provider: "openai",
    maxRecorded: 0,
    responder: (request) => ({
      text: `Answer ${JSON.stringify(request.body).length}`,
      toolCalls: [{ name: "lookup", arguments: { q: "weather" } }],
    }),
  });
});
afterAll(async () => {
  await mock?.close();
  tmp.remove();
});

type L2 = "sqlite" | "redis";

async function container(l2: L2, name: string, integrity: boolean): Promise<LLMContainer> {
  const store =
    l2 === "sqlite"
      ? `{ type: sqlite, path: ${tmp.path(`${name}.db`)} }`
      : `{ type: redis, url: "redis://127.0.0.1:6379", namespace: "reliability-poison-${process.pid}-${name}" }`;
  const file = tmp.path(`${name}.yaml`);
  writeFileSync(
    file,
    `clients:
  main:
    provider: openai
    model: gpt-4o-mini
    apiKey: sk-test-poison-0123456789
    baseURL: ${mock.baseURL}
cache:
  l2: ${store}
${integrity ? `  integrity: { secret: ${SECRET} }\n` : ""}`,
  );
  return createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: here,
    providers: [openaiProvider],
    conditions: ["@llm/source"],
  });
}

interface Rig {
  llm: LLMContainer;
  client: LLMClient;
  reports: string[];
  put(request: ChatRequest, text: string): Promise<string>;
  stored(request: ChatRequest): Promise<string | undefined>;
}

async function rig(l2: L2, name: string, integrity = false): Promise<Rig> {
  const llm = await container(l2, name, integrity);
  const reports: string[] = [];
  llm.get(TOKENS.Hooks).hook("onCacheCorrupt", ({ reason }) => void reports.push(reason));
  const client = llm.clients.get("main");
  const cache = llm.get(TOKENS.CacheMiddleware)!;
  const store = llm.get(TOKENS.CacheStore)!;
  // The client itself: its key is scoped to its provider instance (`cacheScope`).
  const keyOf = (request: ChatRequest) => cache.keyOf(request, client);
  return {
    llm,
    client,
    reports,
    async put(request, text) {
      const key = keyOf(request);
      await store.set(key, text);
      llm.get(TOKENS.CacheL1).clear();
      return key;
    },
    async stored(request) {
      await cache.flush();
      return store.get(keyOf(request));
    },
  };
}

const envelope = (data: unknown) => JSON.stringify({ v: 1, at: 1, exp: null, tags: [], data });

async function answerText(client: LLMClient, request: ChatRequest, streamed: boolean) {
  if (!streamed) return (await client.generate(request)).text;
  let text = "";
  for await (const event of client.stream(request))
    if (event.type === "text-delta") text += event.delta;
  return text;
}

describe.each<L2>(["sqlite", "redis"])(
  "poisoned answers in %s through createLLMContainer",
  (l2) => {
    let r: Rig;
    beforeAll(async () => {
      r = await rig(l2, `shapes-${l2}`);
    });
    afterAll(async () => {
      // The Redis at 127.0.0.1:6379 is shared with every other suite: leave nothing behind.
      await r?.llm.get(TOKENS.CacheStore)?.clear();
      await r?.llm.dispose();
    });

    it("answers every poisoned shape, generate and stream, reporting each once by path and replacing it", async () => {
      let n = 0;
      for (const { answer, path } of poisonedAnswers()) {
        for (const streamed of [false, true]) {
          const request: ChatRequest = { messages: [{ role: "user", content: `poison ${n++}` }] };
          r.reports.length = 0;
          await r.put(request, envelope(answer));
          const text = await answerText(r.client, request, streamed);
          expect(text).toMatch(/^Answer \d+$/);
          expect(r.reports).toEqual([expect.stringContaining(path)]);
          // Replaced: read back from L2 (L1 emptied), it is the fresh answer, and nothing new is reported.
          expect(await r.stored(request)).toMatch(/^\{"v":1,/);
          r.llm.get(TOKENS.CacheL1).clear();
          expect(await answerText(r.client, request, streamed)).toBe(text);
          expect(r.reports).toHaveLength(1);
        }
      }
    });

    it("never throws on random mutations of a valid answer: each is served or refused with a reason", async () => {
      let n = 0;
      let refused = 0;
      const valid = fc.oneof(
        mutatedJson({ v: 1, kind: "response", storedAt: 1, response: fullResponse() }),
        mutatedJson({ v: 1, kind: "stream", storedAt: 1, events: fullStream() }),
      );
      await fc.assert(
        fc.asyncProperty(valid, fc.boolean(), async (mutated, streamed) => {
          const request: ChatRequest = { messages: [{ role: "user", content: `mutation ${n++}` }] };
          r.reports.length = 0;
          await r.put(request, envelope(mutated));
          const text = await answerText(r.client, request, streamed);
          expect(typeof text).toBe("string");
          if (r.reports.length > 0) {
            refused++;
            expect(r.reports).toHaveLength(1);
            expect(r.reports[0]).toMatch(/^(answer|envelope)[\w.[\]]*: /);
            expect(text).toMatch(/^Answer \d+$/); // refused: the fresh answer came from upstream
          }
        }),
        fuzzParams(RUNS),
      );
      expect(refused).toBeGreaterThan(RUNS / 3);
    });
  },
);

describe.each<L2>(["sqlite", "redis"])(
  "cache.integrity over %s through createLLMContainer",
  (l2) => {
    let r: Rig;
    beforeAll(async () => {
      r = await rig(l2, `signed-${l2}`, true);
    });
    afterAll(async () => {
      // The Redis at 127.0.0.1:6379 is shared with every other suite: leave nothing behind.
      await r?.llm.get(TOKENS.CacheStore)?.clear();
      await r?.llm.dispose();
    });

    it("refuses an unsigned, a forged and a re-keyed entry, and stores a signed answer instead", async () => {
      const planted = envelope({ v: 1, kind: "response", storedAt: 1, response: fullResponse() });
      const genuineRequest: ChatRequest = { messages: [{ role: "user", content: "genuine" }] };
      await r.client.generate(genuineRequest);
      const genuine = (await r.stored(genuineRequest))!;
      expect(genuine).toMatch(/^h1\./);
      const cases = [
        ["unsigned", planted, "entry is not signed"],
        ["forged", `h1.${"x".repeat(43)}.${planted}`, "entry signature does not verify"],
        ["re-keyed", genuine, "entry signature does not verify"],
      ] as const;
      for (const [name, text, reason] of cases) {
        const request: ChatRequest = { messages: [{ role: "user", content: `planted ${name}` }] };
        r.reports.length = 0;
        await r.put(request, text);
        const answer = await r.client.generate(request);
        expect(answer.origin).toEqual({ type: "upstream" });
        expect(answer.text).not.toBe(fullResponse().text);
        expect(r.reports).toEqual([reason]);
        expect(await r.stored(request)).toMatch(/^h1\./);
      }
    });
  },
);
