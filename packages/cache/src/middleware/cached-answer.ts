import type { ChatResponse, ResponseOrigin, StreamEvent } from "@llm/core";
import { StreamAccumulator } from "@llm/core";
import { type AnswerLimits, answerProblem } from "./validate-answer.js";

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

/**
 * Answers this process has validated or built itself. An L1 hit returns the
 * same object again and again (uncompressed L1, or the hot decoded set of a
 * compressed one), and checking it in depth on every hit would cost more
 * than the hit: an object is checked once, when it first comes out of bytes.
 */
const trusted = new WeakSet<object>();

/**
 * Why `value` cannot be served as a `CachedAnswer` (see `answerProblem`), or
 * `undefined` when it can. Cheap for an object already checked or built
 * here; an in-depth check otherwise — which then marks it trusted.
 */
export function cachedAnswerProblem(value: unknown, limits?: AnswerLimits): string | undefined {
  if (typeof value === "object" && value !== null && trusted.has(value)) return undefined;
  const problem = answerProblem(value, limits);
  if (problem === undefined) trusted.add(value as object);
  return problem;
}

/**
 * Whether `value` is a well-formed answer of this version, checked in depth.
 * Used on every value read back from a cache: a damaged or foreign entry must
 * be a miss, never a crash in the middle of a request.
 */
export function isCachedAnswer(value: unknown): value is CachedAnswer {
  return cachedAnswerProblem(value) === undefined;
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
    // The settings the provider ignored for this request: the same for a replay of it.
    ...(response.warnings === undefined ? {} : { warnings: response.warnings }),
    // The answer's metadata (a refusal, filter verdicts) goes where a provider's stream puts it.
    ...(response.providerMetadata === undefined
      ? {}
      : { providerMetadata: response.providerMetadata }),
  });
  return events;
}
