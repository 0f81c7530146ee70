import { describe, expect, it } from "vitest";
import { NetworkError } from "../errors/errors.js";
import type { ChatResponse } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import {
  chatResponseProblem,
  describeValue,
  embeddingResponseProblem,
  kindOf,
  ShapeChecker,
  streamEventProblem,
} from "./index.js";

function response(overrides: Record<string, unknown> = {}): ChatResponse {
  return {
    id: "r1",
    model: "m",
    provider: "p",
    text: "hi",
    content: [
      { type: "reasoning", text: "think", signature: "sig" },
      { type: "text", text: "hi" },
      { type: "tool-call", toolCallId: "c1", toolName: "f", input: { a: [1, "x", null, true] } },
    ],
    toolCalls: [{ id: "c1", name: "f", input: { a: 1 }, providerMetadata: { g: { s: "x" } } }],
    reasoning: "think",
    finishReason: "tool-calls",
    rawFinishReason: "tool_calls",
    usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7, cachedInputTokens: 1 },
    requestId: "req",
    providerMetadata: { refusal: null },
    warnings: [
      { type: "unsupported-setting", setting: "topK", details: "no top_k" },
      { type: "other", message: "m" },
    ],
    origin: { type: "upstream" },
    ...overrides,
  } as ChatResponse;
}

const validEvents: StreamEvent[] = [
  {
    type: "start",
    id: "r1",
    model: "m",
    provider: "p",
    requestId: "q",
    origin: { type: "upstream" },
  },
  { type: "text-delta", delta: "hi" },
  { type: "reasoning-delta", delta: "", signature: "s" },
  { type: "tool-call-delta", index: 0, toolCallId: "c1", toolName: "f", argsDelta: "{}" },
  { type: "tool-call", index: 0, toolCall: { id: "c1", name: "f", input: {} } },
  { type: "usage", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } },
  {
    type: "finish",
    finishReason: "stop",
    rawFinishReason: "stop",
    usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3, reasoningTokens: 0 },
    warnings: [],
    providerMetadata: { refusal: "no", stopDetails: { type: "refusal", category: null } },
  },
  { type: "error", error: new NetworkError("gone", { provider: "p" }) },
];

describe("chatResponseProblem", () => {
  it("accepts a complete ChatResponse", () => {
    expect(chatResponseProblem(response())).toBeUndefined();
  });

  it.each([
    [
      { usage: { inputTokens: "3", outputTokens: 0, totalTokens: 0 } },
      'response.usage.inputTokens: expected a non-negative integer, got "3"',
    ],
    [
      { usage: { inputTokens: 1.5, outputTokens: 0, totalTokens: 0 } },
      "response.usage.inputTokens: expected a non-negative integer, got 1.5",
    ],
    [
      { usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: -1 } },
      "response.usage.cachedInputTokens: expected a non-negative integer, got -1",
    ],
    [{ rawFinishReason: null }, "response.rawFinishReason: expected string, got null"],
    [{ model: ["m"] }, "response.model: expected string, got array"],
    [{ finishReason: "done" }, 'response.finishReason: expected a finish reason, got "done"'],
    [{ origin: "upstream" }, "response.origin: expected object, got string"],
    [{ providerMetadata: [] }, "response.providerMetadata: expected object, got array"],
    [
      { warnings: [{ type: "x" }] },
      'response.warnings[0].type: expected "unsupported-setting" or "other", got "x"',
    ],
    [
      { content: [{ type: "image" }] },
      'response.content[0].type: expected "text", "reasoning" or "tool-call", got "image"',
    ],
    [{ toolCalls: [{ id: "c", name: "f" }] }, "response.toolCalls[0].input: missing"],
    [
      { toolCalls: [{ id: "c", name: "f", input: {}, providerMetadata: { g: 1 } }] },
      "response.toolCalls[0].providerMetadata: expected an object per provider, got number",
    ],
  ])("names the first bad path of %j", (overrides, problem) => {
    expect(chatResponseProblem(response(overrides))).toBe(problem);
  });

  it("bounds parts, tool calls, depth and JSON nodes by the limits", () => {
    expect(chatResponseProblem(response(), { maxParts: 2 })).toBe(
      "response.content: 3 parts, more than 2",
    );
    expect(chatResponseProblem(response({ content: [] }), { maxToolCalls: 0 })).toBe(
      "response.toolCalls: 1 calls, more than 0",
    );
    const deep = response({ content: [], toolCalls: [{ id: "c", name: "f", input: [[[1]]] }] });
    expect(chatResponseProblem(deep, { maxDepth: 2 })).toMatch(/nested deeper than 2$/);
    expect(chatResponseProblem(deep, { maxJsonNodes: 2 })).toMatch(/more JSON nodes than allowed$/);
  });
});

describe("streamEventProblem", () => {
  it.each(validEvents.map((e) => [e.type, e] as const))("accepts a valid %s event", (_, event) => {
    expect(streamEventProblem(event)).toBeUndefined();
  });

  it.each([
    [{ type: "start", id: {}, model: "m", provider: "p" }, "event.id: expected string, got object"],
    [{ type: "text-delta", delta: 5 }, "event.delta: expected string, got number"],
    [{ type: "text-delta", delta: ["a"] }, "event.delta: expected string, got array"],
    [
      { type: "tool-call-delta", index: -1, toolCallId: "c", toolName: "f", argsDelta: "" },
      "event.index: expected a non-negative integer, got -1",
    ],
    [
      { type: "tool-call-delta", index: 0, toolCallId: "c", toolName: "f", argsDelta: {} },
      "event.argsDelta: expected string, got object",
    ],
    [
      {
        type: "finish",
        finishReason: "stop",
        rawFinishReason: null,
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      },
      "event.rawFinishReason: expected string, got null",
    ],
    [
      {
        type: "finish",
        finishReason: "stop",
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        providerMetadata: "refused",
      },
      "event.providerMetadata: expected object, got string",
    ],
    [
      {
        type: "finish",
        finishReason: "stop",
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        providerMetadata: { stopDetails: { at: Number.POSITIVE_INFINITY } },
      },
      "event.providerMetadata.stopDetails.at: expected a finite number",
    ],
    [{ type: "error", error: new Error("x") }, "event.error: expected an LLMError, got object"],
    [{ type: "done" }, 'event.type: expected a stream event type, got "done"'],
    ["text", "event: expected object, got string"],
  ])("names the first bad path of %j", (event, problem) => {
    expect(streamEventProblem(event)).toBe(problem);
  });

  it("bounds a finish event's provider metadata by depth and JSON nodes", () => {
    const finish = {
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      providerMetadata: { a: [[[1]]] },
    };
    expect(streamEventProblem(finish, { maxDepth: 2 })).toMatch(/nested deeper than 2$/);
    expect(streamEventProblem(finish, { maxJsonNodes: 3 })).toMatch(
      /more JSON nodes than allowed$/,
    );
  });

  it("shares one JSON budget across the events a checker sees", () => {
    const check = new ShapeChecker({ maxJsonNodes: 3 });
    const call = { type: "tool-call", index: 0, toolCall: { id: "c", name: "f", input: [1] } };
    expect(check.event(call, "e")).toBeUndefined();
    expect(check.event(call, "e")).toMatch(/more JSON nodes than allowed$/);
  });
});

describe("embeddingResponseProblem", () => {
  const embedding = {
    provider: "p",
    model: "m",
    embeddings: [new Float32Array([1, 2]), new Float32Array([3, 4])],
    usage: { inputTokens: 2 },
    cached: 0,
  };

  it("accepts Float32 vectors of one dimension", () => {
    expect(embeddingResponseProblem(embedding)).toBeUndefined();
  });

  it.each([
    [{ embeddings: [[1, 2]] }, "embedding.embeddings[0]: expected Float32Array, got array"],
    [
      { embeddings: [new Float32Array(2), new Float32Array(3)] },
      "embedding.embeddings[1]: 3 dimensions, expected 2 like embeddings[0]",
    ],
    [
      { usage: { inputTokens: -2 } },
      "embedding.usage.inputTokens: expected a non-negative integer, got -2",
    ],
    [{ usage: null }, "embedding.usage: expected object, got null"],
    [{ cached: "1" }, 'embedding.cached: expected a non-negative integer, got "1"'],
    [{ model: 1 }, "embedding.model: expected string, got number"],
    [{ embeddings: {} }, "embedding.embeddings: expected array, got object"],
  ])("names the first bad path of %j", (overrides, problem) => {
    expect(embeddingResponseProblem({ ...embedding, ...overrides })).toBe(problem);
  });

  it("rejects what is not an object", () => {
    expect(embeddingResponseProblem(null)).toBe("embedding: expected object, got null");
  });
});

describe("describing a value found", () => {
  it("echoes small enumerated values and only the kind of anything else", () => {
    expect(describeValue("tool_calls")).toBe('"tool_calls"');
    expect(describeValue("a secret with spaces")).toBe("string");
    expect(describeValue(7)).toBe("7");
    expect(describeValue(Number.NaN)).toBe("number");
    expect(kindOf(null)).toBe("null");
    expect(kindOf([])).toBe("array");
  });
});
