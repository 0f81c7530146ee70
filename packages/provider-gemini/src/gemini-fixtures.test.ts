import { collectStream, RateLimitError, type StreamEvent, type Usage } from "@llm/core";
import { listFixtures, type MockProvider, readFixture, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGemini } from "./gemini-provider.js";

/**
 * Every recorded Gemini fixture (real API responses, from the Vercel AI SDK's
 * test suite) must parse to the right text, tool calls, finish reason and
 * usage — through the real HTTP path, streamed and not streamed.
 */
interface Expected {
  text: string;
  toolCalls: { name: string; input: unknown }[];
  finishReason: string;
  rawFinishReason: string;
  usage: Usage;
  id: string;
  model: string;
}

const JSON_FIXTURES: Record<string, Expected> = {
  "gemini/google-text": {
    text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
    toolCalls: [],
    finishReason: "stop",
    rawFinishReason: "STOP",
    usage: { inputTokens: 9, outputTokens: 272, totalTokens: 281, reasoningTokens: 244 },
    id: "Un6LacrVMcjUxs0PmJfWoQc",
    model: "gemini-3-pro-preview",
  },
  "gemini/google-reasoning": {
    text: 'There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.',
    toolCalls: [],
    finishReason: "stop",
    rawFinishReason: "STOP",
    usage: { inputTokens: 9, outputTokens: 311, totalTokens: 320, reasoningTokens: 282 },
    id: "YH6LaZT7ENmPxN8P-r2J8Aw",
    model: "gemini-3-pro-preview",
  },
  "gemini/google-tool-call": {
    text: "",
    toolCalls: [{ name: "weather", input: { location: "San Francisco" } }],
    finishReason: "tool-calls",
    rawFinishReason: "STOP",
    usage: { inputTokens: 29, outputTokens: 908, totalTokens: 937, reasoningTokens: 893 },
    id: "m36LaZGyCLz1xs0PtNSB-QU",
    model: "gemini-3-pro-preview",
  },
};

const STREAM_FIXTURES: Record<string, Expected> = {
  "gemini/google-text": {
    text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
    toolCalls: [],
    finishReason: "stop",
    rawFinishReason: "STOP",
    usage: { inputTokens: 9, outputTokens: 208, totalTokens: 217, reasoningTokens: 185 },
    id: "bH6LaZW8Fp_3nsEPqtaSwQ4",
    model: "gemini-3-pro-preview",
  },
  "gemini/google-reasoning": {
    text: 'There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.',
    toolCalls: [],
    finishReason: "stop",
    rawFinishReason: "STOP",
    usage: { inputTokens: 9, outputTokens: 285, totalTokens: 294, reasoningTokens: 256 },
    id: "dX6LadKVC7SZ28oPr9yJoQs",
    model: "gemini-3-pro-preview",
  },
  "gemini/google-tool-call": {
    text: "",
    toolCalls: [{ name: "weather", input: { location: "San Francisco" } }],
    finishReason: "tool-calls",
    rawFinishReason: "STOP",
    usage: { inputTokens: 29, outputTokens: 60, totalTokens: 89, reasoningTokens: 45 },
    id: "b36LacjwM668nsEP2tbsgQQ",
    model: "gemini-3-pro-preview",
  },
  "gemini/google-stream-tool-call-arguments": {
    text: "",
    toolCalls: [
      { name: "getWeather", input: { location: "Boston" } },
      { name: "getWeather", input: { location: "San Francisco" } },
    ],
    finishReason: "tool-calls",
    rawFinishReason: "STOP",
    usage: { inputTokens: 26, outputTokens: 155, totalTokens: 181, reasoningTokens: 132 },
    id: "dqHOab6xGLzWodAPkPuViA4",
    model: "gemini-3.1-pro-preview",
  },
};

const REQUEST = { messages: [{ role: "user" as const, content: "How many r's in strawberry?" }] };

let mock: MockProvider;
let gemini: ReturnType<typeof createGemini>;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "gemini" });
  gemini = createGemini({
    baseURL: mock.baseURL,
    apiKey: "test-key-gemini",
    model: "gemini-3-pro-preview",
  });
});

afterAll(async () => {
  await mock.close();
});

describe("Gemini conformance fixtures", () => {
  it("covers every recorded Gemini fixture", () => {
    const covered = new Set([
      ...Object.keys(JSON_FIXTURES),
      ...Object.keys(STREAM_FIXTURES),
      "gemini/google-429-retry-info",
    ]);
    expect(listFixtures("gemini").filter((name) => !covered.has(name))).toEqual([]);
  });

  describe.each(Object.entries(JSON_FIXTURES))("%s, not streamed", (fixture, expected) => {
    it("parses to the recorded text, tool calls, finish reason and usage", async () => {
      mock.enqueue({ fixture });
      const response = await gemini.generate(REQUEST);
      expect(response.text).toBe(expected.text);
      expect(response.toolCalls.map(({ name, input }) => ({ name, input }))).toEqual(
        expected.toolCalls,
      );
      expect(response.finishReason).toBe(expected.finishReason);
      expect(response.rawFinishReason).toBe(expected.rawFinishReason);
      expect(response.usage).toEqual(expected.usage);
      expect(response.id).toBe(expected.id);
      expect(response.model).toBe(expected.model);
      expect(response.provider).toBe("gemini");
    });
  });

  describe.each(Object.entries(STREAM_FIXTURES))("%s, streamed", (fixture, expected) => {
    it("parses to the recorded text, tool calls, finish reason and usage", async () => {
      mock.enqueue({ fixture });
      const events: StreamEvent[] = [];
      for await (const event of gemini.stream(REQUEST)) events.push(event);
      expect(events[0]?.type).toBe("start");
      expect(events.at(-2)?.type).toBe("usage");
      expect(events.at(-1)?.type).toBe("finish");

      const response = await collectStream(events as unknown as AsyncIterable<StreamEvent>);
      expect(response.text).toBe(expected.text);
      expect(response.toolCalls.map(({ name, input }) => ({ name, input }))).toEqual(
        expected.toolCalls,
      );
      expect(response.finishReason).toBe(expected.finishReason);
      expect(response.rawFinishReason).toBe(expected.rawFinishReason);
      expect(response.usage).toEqual(expected.usage);
      expect(response.id).toBe(expected.id);
      expect(response.model).toBe(expected.model);

      // Each tool call is announced by one delta carrying its complete arguments.
      const deltas = events.filter((e) => e.type === "tool-call-delta");
      expect(deltas.map((d) => d.type === "tool-call-delta" && JSON.parse(d.argsDelta))).toEqual(
        expected.toolCalls.map((c) => c.input),
      );
    });
  });

  it("gemini/google-429-retry-info becomes a RateLimitError with the RetryInfo delay", async () => {
    mock.enqueue({ fixture: "gemini/google-429-retry-info" });
    const error = await gemini.generate(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      status: 429,
      retryAfterMs: 34_400,
      retryable: true,
      provider: "gemini",
    });
    expect((error as Error).message).toContain("You exceeded your current quota");
  });

  it("gemini/google-429-retry-info fails a stream with the same RateLimitError", async () => {
    // The fixture is a whole error body; the stream endpoint answers a quota error with the same body.
    mock.enqueue({ status: 429, body: readFixture("gemini/google-429-retry-info").json });
    const error = await collectStream(gemini.stream(REQUEST)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 34_400 });
  });
});
