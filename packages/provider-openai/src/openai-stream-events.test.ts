import { NetworkError, ParseError, type StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import type { OpenAIChatChunk } from "./openai-api.js";
import { OpenAIStreamEvents, type OpenAIStreamMetadataReader } from "./openai-stream-events.js";

/** Runs payloads through the state machine (the wire path is covered by the testkit tests). */
function run(payloads: unknown[], headers: Record<string, string> = {}): StreamEvent[] {
  const events = new OpenAIStreamEvents("deepseek", "deepseek-reasoner", headers);
  const out: StreamEvent[] = [];
  for (const p of payloads) events.push(typeof p === "string" ? p : JSON.stringify(p), out);
  events.end(out);
  return out;
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: "c1",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe("OpenAIStreamEvents", () => {
  it("starts at the first real chunk when the stream opens with Azure's prompt-filter chunk", () => {
    const out = run([
      { id: "", model: "", choices: [], prompt_filter_results: [{ prompt_index: 0 }] },
      { id: "chatcmpl-az", model: "gpt-4o", choices: [{ index: 0, delta: { content: "Hi" } }] },
      chunk({}, "stop"),
      "[DONE]",
    ]);
    expect(out[0]).toEqual({
      type: "start",
      id: "chatcmpl-az",
      model: "gpt-4o",
      provider: "deepseek",
      origin: { type: "upstream" },
    });
    expect(out[1]).toEqual({ type: "text-delta", delta: "Hi" });
  });

  it("turns reasoning_content / reasoning deltas into reasoning-delta events (DeepSeek, OpenRouter)", () => {
    const out = run([
      chunk({ reasoning_content: "Six " }),
      chunk({ reasoning: "times seven." }),
      chunk({ content: "42" }, "stop"),
      "[DONE]",
    ]);
    expect(out).toEqual([
      {
        type: "start",
        id: "c1",
        model: "deepseek-reasoner",
        provider: "deepseek",
        origin: { type: "upstream" },
      },
      { type: "reasoning-delta", delta: "Six " },
      { type: "reasoning-delta", delta: "times seven." },
      { type: "text-delta", delta: "42" },
      { type: "usage", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
      {
        type: "finish",
        finishReason: "stop",
        rawFinishReason: "stop",
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      },
    ]);
  });

  it("reports a streamed refusal as content-filter, with its text as generate gives it", () => {
    const out = run([
      chunk({ refusal: "I can't " }),
      chunk({ refusal: "help with that." }),
      chunk({}, "stop"),
    ]);
    expect(out.at(-1)).toMatchObject({
      type: "finish",
      finishReason: "content-filter",
      rawFinishReason: "stop",
      providerMetadata: { refusal: "I can't help with that." },
    });
  });

  it("feeds every chunk to the metadata reader, the id-less opening one too, and puts its result on finish", () => {
    const seen: OpenAIChatChunk[] = [];
    const metadata: OpenAIStreamMetadataReader = {
      read: (c) => void seen.push(c),
      result: () => ({ chunks: seen.length, refusal: "overridden by the server's field" }),
    };
    const events = new OpenAIStreamEvents("azure-openai", "gpt-4o", {}, { metadata });
    const out: StreamEvent[] = [];
    for (const p of [
      { id: "", choices: [], prompt_filter_results: [] },
      chunk({ refusal: "No." }),
      chunk({}, "stop"),
    ])
      events.push(JSON.stringify(p), out);
    events.push("[DONE]", out);
    events.end(out);
    expect(seen).toHaveLength(3);
    expect(out.at(-1)).toMatchObject({
      providerMetadata: { chunks: 3, refusal: "overridden by the server's field" },
    });
  });

  it("assembles tool calls whose deltas carry no index, and flushes them when the stream ends", () => {
    const out = run([
      {
        choices: [
          {
            delta: {
              tool_calls: [{ id: "call_1", function: { name: "calc", arguments: '{"a":' } }],
            },
          },
        ],
      },
      { choices: [{ delta: { tool_calls: [{ function: { arguments: "1}" } }] } }] },
      "[DONE]",
    ]);
    expect(out.filter((e) => e.type === "tool-call")).toEqual([
      { type: "tool-call", index: 0, toolCall: { id: "call_1", name: "calc", input: { a: 1 } } },
    ]);
    expect(out[0]).toMatchObject({ type: "start", id: expect.stringMatching(/^chatcmpl-/) });
    expect(out.at(-1)).toMatchObject({ type: "finish", finishReason: "other" });
  });

  it("ignores payloads after [DONE]", () => {
    const out = run([chunk({ content: "a" }, "stop"), "[DONE]", chunk({ content: "late" })]);
    expect(out.filter((e) => e.type === "text-delta")).toEqual([
      { type: "text-delta", delta: "a" },
    ]);
  });

  it("accepts a stream that finishes without [DONE]", () => {
    expect(run([chunk({ content: "a" }, "length")]).at(-1)).toMatchObject({
      finishReason: "length",
    });
  });

  it("throws NetworkError for a stream cut before finish_reason and [DONE]", () => {
    expect(() => run([chunk({ content: "a" })])).toThrow(NetworkError);
  });

  it("throws ParseError naming the event for a chunk that is not an object", () => {
    expect(() => run([chunk({ content: "a" }), "[1,2]"])).toThrow(
      expect.objectContaining({ name: "ParseError", where: "stream event 2" }),
    );
    expect(() => run([])).toThrow(ParseError);
  });
});
