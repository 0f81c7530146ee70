import {
  AIMessage,
  ChatMessage,
  FunctionMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { InvalidRequestError, type StreamEvent, TimeoutError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { StreamChunkMapper } from "../src/chat/stream-chunks.js";
import { langChainFinishReason, toAIMessage } from "../src/chat/to-langchain-message.js";
import { toLLMKitMessages } from "../src/chat/to-llm-kit-messages.js";
import { toToolChoice, toToolDefinition } from "../src/chat/tool-definitions.js";

describe("LangChain messages → ours", () => {
  it("maps ChatMessage roles and joins text blocks of a system message", () => {
    expect(
      toLLMKitMessages([
        new SystemMessage({
          content: [
            { type: "text", text: "Be " },
            { type: "text", text: "brief." },
          ],
        }),
        new ChatMessage("hello", "user"),
        new ChatMessage("hi", "assistant"),
        new ChatMessage("rules", "developer"),
      ]),
    ).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hello" },
      { role: "assistant", content: "hi" },
      { role: "system", content: "rules" },
    ]);
  });

  it("sends base64 image blocks with their media type", () => {
    const [message] = toLLMKitMessages([
      new HumanMessage({ content: [{ type: "image", data: "AAAA", mimeType: "image/png" }] }),
    ]);
    expect(message).toEqual({
      role: "user",
      content: [
        { type: "image", source: { type: "base64", mediaType: "image/png", data: "AAAA" } },
      ],
    });
  });

  it("keeps an AI message's text and tool calls, skipping provider tool-use blocks", () => {
    const ai = new AIMessage({
      content: [
        { type: "text", text: "Checking." },
        { type: "tool_use", id: "t1", name: "weather", input: {} },
      ],
      tool_calls: [{ id: "t1", name: "weather", args: { city: "Oslo" }, type: "tool_call" }],
    });
    const tool = new ToolMessage({
      content: [{ type: "text", text: "cold" }],
      tool_call_id: "t1",
      status: "error",
    });
    expect(toLLMKitMessages([new HumanMessage("weather?"), ai, tool]).slice(1)).toEqual([
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool-call", toolCallId: "t1", toolName: "weather", input: { city: "Oslo" } },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "t1",
            toolName: "weather",
            output: "cold",
            isError: true,
          },
        ],
      },
    ]);
  });

  it("names a tool result by its own name when no earlier call is known", () => {
    const [message] = toLLMKitMessages([
      new ToolMessage({ content: "42", tool_call_id: "x", name: "calc" }),
    ]);
    expect(message).toEqual({
      role: "tool",
      content: [{ type: "tool-result", toolCallId: "x", toolName: "calc", output: "42" }],
    });
  });

  it.each([
    [
      "a function message",
      () => new FunctionMessage({ content: "x", name: "f" }),
      'messages[0]: "function" messages are not supported',
    ],
    [
      "an unknown chat role",
      () => new ChatMessage("x", "critic"),
      'messages[0].role: expected system, user or assistant, got "critic"',
    ],
    [
      "an image in a system message",
      () => new SystemMessage({ content: [{ type: "image_url", image_url: "https://x/y.png" }] }),
      'messages[0].content[0]: expected a text block, got "image_url"',
    ],
    [
      "an unknown block in an AI message",
      () => new AIMessage({ content: [{ type: "audio", data: "x" }] }),
      'messages[0].content[0]: unsupported content block "audio"',
    ],
    [
      "a tool call without an id",
      () =>
        new AIMessage({ content: "", tool_calls: [{ name: "t", args: {}, type: "tool_call" }] }),
      "messages[0].tool_calls[0]: a tool call needs an id",
    ],
  ])("refuses %s, naming where", (_name, make, message) => {
    expect(() => toLLMKitMessages([make()])).toThrow(InvalidRequestError);
    expect(() => toLLMKitMessages([make()])).toThrow(message);
  });
});

describe("tools", () => {
  it("passes our own tool definitions through and maps every tool_choice form", () => {
    const ours = { name: "t", parameters: { type: "object" } };
    expect(toToolDefinition(ours, 0)).toBe(ours);
    expect(toToolChoice(undefined)).toBeUndefined();
    expect(toToolChoice("none")).toBe("none");
    expect(toToolChoice({ type: "function", function: { name: "t" } })).toEqual({
      type: "tool",
      name: "t",
    });
    expect(toToolChoice({ name: "t" })).toEqual({ type: "tool", name: "t" });
    expect(() => toToolChoice({ type: "function" })).toThrow(/tool_choice: expected/);
  });

  it("gives a tool without parameters an empty object schema", () => {
    const definition = toToolDefinition(
      { type: "function", function: { name: "ping", strict: true } },
      0,
    );
    expect(definition).toEqual({
      name: "ping",
      parameters: { type: "object", properties: {} },
      strict: true,
    });
  });
});

describe("our answers → LangChain", () => {
  it("spells finish reasons as LangChain's OpenAI-style consumers expect", () => {
    expect(langChainFinishReason("tool-calls")).toBe("tool_calls");
    expect(langChainFinishReason("content-filter")).toBe("content_filter");
    expect(langChainFinishReason("length")).toBe("length");
  });

  it("wraps a non-object tool input and keeps reasoning and the request id", () => {
    const message = toAIMessage({
      id: "r1",
      model: "m",
      provider: "p",
      text: "",
      content: [],
      toolCalls: [{ id: "c1", name: "echo", input: "plain" }],
      reasoning: "because",
      finishReason: "tool-calls",
      usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3, reasoningTokens: 1 },
      requestId: "req-9",
      origin: { type: "upstream" },
    });
    expect(message.tool_calls?.[0]?.args).toEqual({ input: "plain" });
    expect(message.additional_kwargs).toEqual({ reasoning_content: "because" });
    expect(message.response_metadata).toMatchObject({
      request_id: "req-9",
      finish_reason: "tool_calls",
    });
    expect(message.usage_metadata?.output_token_details).toEqual({ reasoning: 1 });
  });

  it("streams reasoning, a whole tool call and a finish, and throws an error event", () => {
    const mapper = new StreamChunkMapper();
    const events: StreamEvent[] = [
      {
        type: "start",
        id: "s1",
        model: "m",
        provider: "p",
        origin: { type: "cache", level: "l2", key: "k", ageMs: 5 },
      },
      { type: "reasoning-delta", delta: "hmm" },
      { type: "tool-call", index: 0, toolCall: { id: "c1", name: "t", input: { a: 1 } } },
      { type: "usage", usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } },
      {
        type: "finish",
        finishReason: "tool-calls",
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
      },
    ];
    const chunks = events.map((event) => mapper.map(event)).filter((c) => c !== undefined);
    const message = chunks.map((c) => c.message).reduce((a, b) => a.concat(b));
    expect(message.additional_kwargs).toEqual({ reasoning_content: "hmm" });
    expect((message as { tool_calls?: unknown }).tool_calls).toEqual([
      { id: "c1", name: "t", args: { a: 1 }, type: "tool_call" },
    ]);
    expect(message.response_metadata).toMatchObject({
      origin: { type: "cache", level: "l2" },
      finish_reason: "tool_calls",
    });
    expect(chunks.at(-1)?.generationInfo).toEqual({ finish_reason: "tool_calls" });
    const error = new TimeoutError("total", 10);
    expect(() => mapper.map({ type: "error", error })).toThrow(error);
  });

  it("does not repeat a streamed tool call when its complete event follows", () => {
    const mapper = new StreamChunkMapper();
    mapper.map({
      type: "tool-call-delta",
      index: 0,
      toolCallId: "c1",
      toolName: "t",
      argsDelta: "{}",
    });
    expect(
      mapper.map({ type: "tool-call", index: 0, toolCall: { id: "c1", name: "t", input: {} } }),
    ).toBeUndefined();
  });
});
