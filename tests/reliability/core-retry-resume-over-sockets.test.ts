import {
  AbortError,
  type ChatRequest,
  compose,
  NetworkError,
  ProviderError,
  type RetryOptions,
  retryMiddleware,
  type StreamEvent,
} from "@llm/core";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

/** The real OpenAI provider against the testkit server: core's resilience over a real socket. */
function openAIClient(options: { baseURL: string; model?: string }) {
  return createOpenAI({ apiKey: "sk-test-0000000000000000", model: "gpt-4o-mini", ...options });
}

/** Reads a whole stream. */
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

// Real sockets: the testkit's default responder gives the same request the same text, and
// its faults cut the stream after a number of frames, the way a provider's stream breaks.
const request: ChatRequest = {
  messages: [{ role: "user", content: "Describe the cache in a few words" }],
  temperature: 0,
};
let server: MockProvider;

beforeEach(async () => {
  server = await startMockProvider({ provider: "openai" });
});

afterEach(async () => {
  await server.close();
});

function client(overrides: RetryOptions = {}) {
  return compose(
    openAIClient({ baseURL: server.baseURL }),
    retryMiddleware({ maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50, ...overrides }),
  );
}

/** Reads a stream to its end or its error, keeping what reached the caller. */
async function read(events: AsyncIterable<StreamEvent>) {
  const seen: StreamEvent[] = [];
  try {
    for await (const event of events) seen.push(event);
    return { seen, error: undefined };
  } catch (error) {
    return { seen, error };
  }
}

const textOf = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
const count = (events: StreamEvent[], type: StreamEvent["type"]) =>
  events.filter((e) => e.type === type).length;

/** The answer the server gives this request when nothing fails. */
async function cleanText(req: ChatRequest = request): Promise<string> {
  const text = textOf(await collect(openAIClient({ baseURL: server.baseURL }).stream(req)));
  server.reset();
  return text;
}

describe("resuming streams against testkit faults", () => {
  for (const fault of ["error-mid-stream", "reset"] as const) {
    it(`resumes a stream cut by ${fault} into exactly the clean answer`, async () => {
      const clean = await cleanText();
      server.enqueue({ fault, afterChunks: 3 });
      const retries: unknown[] = [];
      const seen: StreamEvent[] = [];
      let shownAtCut = "";
      const resilient = client({
        onRetry: (info) => {
          retries.push(info.error);
          shownAtCut = textOf(seen);
        },
      });
      for await (const event of resilient.stream(request)) seen.push(event);
      expect(shownAtCut.length).toBeGreaterThan(0);
      expect(shownAtCut.length).toBeLessThan(clean.length);
      expect(textOf(seen)).toBe(clean);
      expect(count(seen, "start")).toBe(1);
      expect(count(seen, "finish")).toBe(1);
      expect(seen[0]?.type).toBe("start");
      expect(seen.at(-1)?.type).toBe("finish");
      expect(retries).toHaveLength(1);
      expect(retries[0]).toBeInstanceOf(fault === "reset" ? NetworkError : ProviderError);
      expect(server.requests).toHaveLength(2);
    });
  }

  it("throws the original error when the replay says something else, showing nothing more", async () => {
    const clean = await cleanText();
    server.enqueue(
      { fault: "error-mid-stream", afterChunks: 3 },
      { text: "Something else entirely, said differently." },
    );
    const { seen, error } = await read(client().stream(request));
    expect(error).toBeInstanceOf(ProviderError);
    const shown = textOf(seen);
    expect(shown.length).toBeGreaterThan(0);
    expect(clean.startsWith(shown)).toBe(true);
    expect(shown).not.toBe(clean);
    expect(count(seen, "finish")).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it("does not resume a request sampled at temperature 0.7", async () => {
    server.enqueue({ fault: "error-mid-stream", afterChunks: 3 });
    const { seen, error } = await read(client().stream({ ...request, temperature: 0.7 }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(textOf(seen).length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  it("throws the error that cut the stream when the attempts run out", async () => {
    server.enqueue({ fault: "reset", afterChunks: 3 }, { status: 500 }, { status: 500 });
    const { seen, error } = await read(client().stream(request));
    expect(error).toBeInstanceOf(NetworkError);
    expect(textOf(seen).length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(3);
  });

  it("stops with AbortError when the caller aborts during the wait before the resume", async () => {
    server.enqueue({ fault: "error-mid-stream", afterChunks: 3 });
    const controller = new AbortController();
    const resilient = client({
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      random: () => 1,
      onRetry: () => controller.abort(),
    });
    const { error } = await read(resilient.stream(request, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(1);
  });
});
