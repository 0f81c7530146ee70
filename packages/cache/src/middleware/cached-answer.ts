import type { ChatResponse, FinishReason, ResponseOrigin, StreamEvent } from "@llm/core";
import { StreamAccumulator } from "@llm/core";

/** Bumped when the stored shape changes; an entry of another version reads as a miss. */
export const ANSWER_VERSION = 1;

/**
 * What the cache middleware stores under a request key: plain JSON, so any
 * L2 can hold it. A `generate` answer keeps the `ChatResponse`; a stream
 * keeps its events, so it replays event for event.
 */
export type CachedAnswer =
  | { v: typeof ANSWER_VERSION; kind: "response"; storedAt: number; response: ChatResponse }
  | { v: typeof ANSWER_VERSION; kind: "stream"; storedAt: number; events: StreamEvent[] };

const FINISH_REASONS = new Set<FinishReason>([
  "stop",
  "length",
  "tool-calls",
  "content-filter",
  "error",
  "other",
]);
const REPLAYABLE = new Set([
  "start",
  "text-delta",
  "reasoning-delta",
  "tool-call-delta",
  "tool-call",
  "usage",
  "finish",
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether `value` is a well-formed answer of this version. Used on every
 * value read back from a cache: a damaged or foreign entry must be a miss,
 * never a crash in the middle of a request.
 */
export function isCachedAnswer(value: unknown): value is CachedAnswer {
  if (!isObject(value) || value.v !== ANSWER_VERSION || typeof value.storedAt !== "number")
    return false;
  if (value.kind === "response") return isResponse(value.response);
  if (value.kind === "stream") {
    const events = value.events;
    return (
      Array.isArray(events) &&
      events.length > 0 &&
      events.every((e) => isObject(e) && typeof e.type === "string" && REPLAYABLE.has(e.type)) &&
      isObject(events[0]) &&
      events[0].type === "start"
    );
  }
  return false;
}

function isResponse(r: unknown): r is ChatResponse {
  return (
    isObject(r) &&
    typeof r.text === "string" &&
    Array.isArray(r.content) &&
    Array.isArray(r.toolCalls) &&
    isObject(r.usage) &&
    typeof r.finishReason === "string" &&
    FINISH_REASONS.has(r.finishReason as FinishReason)
  );
}

/** The answer as `generate` returns it, with `origin` set. */
export function answerToResponse(answer: CachedAnswer, origin: ResponseOrigin): ChatResponse {
  if (answer.kind === "response") return { ...answer.response, origin };
  const acc = new StreamAccumulator();
  for (const event of answer.events) acc.add(event);
  return { ...acc.toResponse(), origin };
}

/**
 * The answer as a stream, with `start.origin` set. A recorded stream replays
 * its own events (copied, so a consumer cannot damage the cache); a stored
 * response is turned into the events a provider would have sent.
 */
export function answerToEvents(answer: CachedAnswer, origin: ResponseOrigin): StreamEvent[] {
  if (answer.kind === "stream") {
    return answer.events.map((event) => (event.type === "start" ? { ...event, origin } : event));
  }
  return responseToEvents(answer.response, origin);
}

export function responseToEvents(response: ChatResponse, origin: ResponseOrigin): StreamEvent[] {
  const events: StreamEvent[] = [
    {
      type: "start",
      id: response.id,
      model: response.model,
      provider: response.provider,
      ...(response.requestId === undefined ? {} : { requestId: response.requestId }),
      origin,
    },
  ];
  for (const part of response.content) {
    if (part.type === "reasoning") {
      events.push({
        type: "reasoning-delta",
        delta: part.text,
        ...(part.signature === undefined ? {} : { signature: part.signature }),
      });
    }
  }
  if (response.text) events.push({ type: "text-delta", delta: response.text });
  response.toolCalls.forEach((toolCall, index) => {
    events.push({
      type: "tool-call-delta",
      index,
      toolCallId: toolCall.id,
      toolName: toolCall.name,
      argsDelta: JSON.stringify(toolCall.input),
    });
    events.push({ type: "tool-call", index, toolCall });
  });
  events.push({ type: "usage", usage: response.usage });
  events.push({
    type: "finish",
    finishReason: response.finishReason,
    ...(response.rawFinishReason === undefined
      ? {}
      : { rawFinishReason: response.rawFinishReason }),
    usage: response.usage,
  });
  return events;
}
