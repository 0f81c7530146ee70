import { collectStream, type StreamEvent } from "@llm/core";
import { listFixtures, type MockProvider, readFixture, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAI } from "./index.js";

/**
 * Every recorded OpenAI fixture (../shared/conformance, copied into testkit)
 * replayed over a real socket, streamed and not streamed.
 */
let mock: MockProvider;
const request = { messages: [{ role: "user" as const, content: "Invent a new holiday." }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
});
afterAll(() => mock.close());

const client = () =>
  createOpenAI({ baseURL: mock.baseURL, apiKey: "sk-fixture-key", model: "gpt-4.1-nano" });

describe("openai conformance fixtures", () => {
  it("covers every recorded fixture of the provider", () => {
    expect(listFixtures("openai")).toEqual(["openai/openai-text"]);
  });

  it("parses openai-text.json into its text, finish reason and usage", async () => {
    mock.enqueue({ fixture: "openai/openai-text" });
    const response = await client().generate(request);
    expect(response.id).toBe("chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU");
    expect(response.model).toBe("gpt-4.1-nano-2025-04-14");
    expect(
      response.text.startsWith("**Holiday Name:** Galaxy Day  \n\n**Date:** October 31st"),
    ).toBe(true);
    expect(
      response.text.endsWith("inspiring individuals to look up and dream beyond our world."),
    ).toBe(true);
    expect(response.text).toHaveLength(1842);
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe("stop");
    expect(response.rawFinishReason).toBe("stop");
    expect(response.usage).toEqual({
      inputTokens: 16,
      outputTokens: 363,
      totalTokens: 379,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    });
    const recorded = readFixture("openai/openai-text").json as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(response.text).toBe(recorded.choices[0]?.message.content);
    expect(response.content).toEqual([{ type: "text", text: response.text }]);
  });

  it("parses openai-text.chunks.txt into the same events as the recording", async () => {
    mock.enqueue({ fixture: "openai/openai-text" });
    const events: StreamEvent[] = [];
    for await (const event of client().stream(request)) events.push(event);

    expect(events[0]).toMatchObject({
      type: "start",
      id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0",
      model: "gpt-4.1-nano-2025-04-14",
      provider: "openai",
      origin: { type: "upstream" },
    });
    const text = events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
    expect(text.startsWith("**Holiday Name:** Harmony Day\n\n**Date:**")).toBe(true);
    expect(text.endsWith("rough shared human experiences and mutual respect.")).toBe(true);
    expect(text).toHaveLength(1724);
    // The recording's deltas, concatenated independently of the client.
    const recorded = (readFixture("openai/openai-text").chunks ?? [])
      .map((line) => JSON.parse(line) as { choices: Array<{ delta: { content?: string | null } }> })
      .flatMap((chunk) => chunk.choices.map((c) => c.delta.content ?? ""))
      .join("");
    expect(text).toBe(recorded);
    const usage = {
      inputTokens: 16,
      outputTokens: 300,
      totalTokens: 316,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    };
    expect(events.at(-2)).toEqual({ type: "usage", usage });
    expect(events.at(-1)).toEqual({
      type: "finish",
      finishReason: "stop",
      rawFinishReason: "stop",
      usage,
    });
    expect(events.filter((e) => e.type === "start")).toHaveLength(1);
  });

  it("collects the streamed fixture into the response generate would give", async () => {
    mock.enqueue({ fixture: "openai/openai-text" });
    const response = await collectStream(client().stream(request));
    expect(response.text).toHaveLength(1724);
    expect(response.finishReason).toBe("stop");
    expect(response.usage.totalTokens).toBe(316);
    expect(response.requestId).toMatch(/^req_/);
  });
});
