import type { ChatResponse, StreamEvent } from "@llm/core";
import { ANSWER_VERSION, type CachedAnswer } from "./cached-answer.js";

/** A response with every part kind filled in, as a provider would return it. */
export function fullResponse(): ChatResponse {
  return {
    id: "resp-1",
    model: "gpt-4o-mini",
    provider: "openai",
    text: "It is sunny.",
    content: [
      { type: "reasoning", text: "Look it up.", signature: "sig" },
      { type: "text", text: "It is sunny." },
      {
        type: "tool-call",
        toolCallId: "call_1",
        toolName: "weather",
        input: { city: "Oslo" },
        providerMetadata: { gemini: { thoughtSignature: "sig-call" } },
      },
    ],
    toolCalls: [
      {
        id: "call_1",
        name: "weather",
        input: { city: "Oslo", days: [1, 2] },
        providerMetadata: { gemini: { thoughtSignature: "sig-call" } },
      },
    ],
    reasoning: "Look it up.",
    finishReason: "tool-calls",
    rawFinishReason: "tool_calls",
    usage: { inputTokens: 12, outputTokens: 7, totalTokens: 19, cachedInputTokens: 2 },
    requestId: "req_1",
    providerMetadata: { openai: { systemFingerprint: "fp_1" } },
    warnings: [
      { type: "unsupported-setting", setting: "topK", details: "no top_k" },
      { type: "other", message: "note" },
    ],
    origin: { type: "upstream" },
  };
}

export function fullStream(): StreamEvent[] {
  const usage = { inputTokens: 12, outputTokens: 7, totalTokens: 19 };
  return [
    {
      type: "start",
      id: "resp-1",
      model: "gpt-4o-mini",
      provider: "openai",
      origin: { type: "upstream" },
    },
    { type: "reasoning-delta", delta: "Look it up." },
    { type: "text-delta", delta: "It is " },
    { type: "text-delta", delta: "sunny." },
    {
      type: "tool-call-delta",
      index: 0,
      toolCallId: "call_1",
      toolName: "weather",
      argsDelta: '{"city":"Oslo"}',
    },
    {
      type: "tool-call",
      index: 0,
      toolCall: { id: "call_1", name: "weather", input: { city: "Oslo" } },
    },
    { type: "usage", usage },
    {
      type: "finish",
      finishReason: "tool-calls",
      usage,
      warnings: [{ type: "unsupported-setting", setting: "topK" }],
      providerMetadata: { stopDetails: { type: "refusal", category: null, severity: [1, 2] } },
    },
  ];
}

export const responseAnswer = (response: ChatResponse = fullResponse()): CachedAnswer => ({
  v: ANSWER_VERSION,
  kind: "response",
  storedAt: 1,
  response,
});

export const streamAnswer = (events: StreamEvent[] = fullStream()): CachedAnswer => ({
  v: ANSWER_VERSION,
  kind: "stream",
  storedAt: 1,
  events,
});

/** The poisoned shapes users met in the wild (issue #11, finding 2), each with the path it must be rejected at. */
export function poisonedAnswers(): Array<{ name: string; answer: unknown; path: string }> {
  const nullToolCall = responseAnswer({ ...fullResponse(), toolCalls: [null as never] });
  const nullPart = responseAnswer({ ...fullResponse(), content: [null as never] });
  const events = fullStream();
  const noUsage = streamAnswer([
    ...events.slice(0, -1),
    { type: "finish", finishReason: "stop" } as unknown as StreamEvent,
  ]);
  const nullEventToolCall = streamAnswer(
    events.map((e) => (e.type === "tool-call" ? ({ ...e, toolCall: null } as never) : e)),
  );
  const badWarning = responseAnswer({
    ...fullResponse(),
    warnings: [{ type: "unsupported-setting" } as never],
  });
  const warningKind = streamAnswer([
    ...events.slice(0, -1),
    { ...(events.at(-1) as StreamEvent), warnings: [{ type: "shout" }] } as unknown as StreamEvent,
  ]);
  const finish = events.at(-1) as StreamEvent;
  const textMetadata = streamAnswer([
    ...events.slice(0, -1),
    { ...finish, providerMetadata: "refused" } as unknown as StreamEvent,
  ]);
  const deep: unknown = Array.from({ length: 80 }).reduce<unknown>((inner) => [inner], 1);
  const deepMetadata = streamAnswer([
    ...events.slice(0, -1),
    { ...finish, providerMetadata: { deep } } as unknown as StreamEvent,
  ]);
  const listMetadata = responseAnswer({ ...fullResponse(), providerMetadata: [] as never });
  const flatMetadata = responseAnswer({
    ...fullResponse(),
    toolCalls: [{ id: "c", name: "f", input: {}, providerMetadata: { gemini: "sig" } as never }],
  });
  return [
    {
      name: "a warning without its setting",
      answer: badWarning,
      path: "answer.response.warnings[0].setting",
    },
    {
      name: "a finish warning of no known type",
      answer: warningKind,
      path: "answer.events[7].warnings[0].type",
    },
    {
      name: "tool-call metadata that is not namespaced",
      answer: flatMetadata,
      path: "answer.response.toolCalls[0].providerMetadata",
    },
    {
      name: "finish metadata that is not an object",
      answer: textMetadata,
      path: "answer.events[7].providerMetadata",
    },
    {
      name: "finish metadata nested past the depth bound",
      answer: deepMetadata,
      path: "answer.events[7].providerMetadata.deep[0]",
    },
    {
      name: "response metadata that is a list",
      answer: listMetadata,
      path: "answer.response.providerMetadata",
    },
    { name: "toolCalls:[null]", answer: nullToolCall, path: "answer.response.toolCalls[0]" },
    { name: "content:[null]", answer: nullPart, path: "answer.response.content[0]" },
    { name: "a stream whose finish lacks usage", answer: noUsage, path: "answer.events[7].usage" },
    {
      name: "a stream tool-call without its call",
      answer: nullEventToolCall,
      path: "answer.events[5].toolCall",
    },
  ];
}
