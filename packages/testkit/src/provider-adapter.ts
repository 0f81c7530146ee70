import type { NormalizedRequest } from "./normalized-request.js";
import type { Prng } from "./prng.js";
import type { MockErrorReply, ProviderName, RecordedRequest } from "./types.js";

/** A completion with every field decided, ready to be rendered in a wire format. */
export interface ResolvedCompletion {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  text: string;
  reasoning: string;
  toolCalls: { id: string; name: string; arguments: Record<string, unknown> }[];
  finishReason: string;
  usage: { input: number; output: number; cached: number; reasoning: number };
}

/** One frame on the wire: text (SSE, NDJSON) or bytes (AWS event streams). */
export type WireFrame = string | Uint8Array;

export type RouteKind = "chat" | "models";

/** How a request maps onto the provider's API, decided before the body is interpreted. */
export interface RequestShape {
  route: RouteKind | undefined;
  stream: boolean;
  model: string | undefined;
}

/**
 * One provider's wire format: routing, auth, request interpretation, and rendering of
 * completions, streams, errors and faults exactly as the real API sends them.
 */
export interface ProviderAdapter {
  readonly name: ProviderName;
  /** Appended to the origin to make `baseURL`. */
  readonly basePath: string;
  shape(method: string, path: string, query: Record<string, string>, body: unknown): RequestShape;
  /** The real error the API gives a request without valid credentials, if any. */
  checkAuth(request: RecordedRequest, apiKey: string | undefined): MockErrorReply | undefined;
  normalize(request: RecordedRequest): NormalizedRequest;
  finishReason(hasToolCalls: boolean): string;
  messageId(prng: Prng): string;
  toolCallId(prng: Prng): string;
  requestId(prng: Prng): string;
  successHeaders(
    stream: boolean,
    requestId: string,
    request: RecordedRequest,
  ): Record<string, string>;
  /** The reply an invalid API key gets (the `auth` fault). */
  authError(): MockErrorReply;
  /** The status the `overloaded` fault uses (Anthropic 529, others 503). */
  readonly overloadedStatus: number;
  renderJSON(completion: ResolvedCompletion): unknown;
  /** Stream frames, each a complete wire frame (`data: …\n\n`, an NDJSON line…). */
  renderFrames(
    completion: ResolvedCompletion,
    request: NormalizedRequest,
    chunkSize: number | undefined,
  ): WireFrame[];
  /** Frames a recorded `.chunks.txt` payload list for this request. */
  frameFixture(lines: string[], request: RecordedRequest): WireFrame[];
  /** The real error body for `status`; `message` overrides the default message. */
  errorBody(status: number, reply: MockErrorReply, requestId: string, message?: string): unknown;
  /** Headers of an error response, including retry hints where this API sends them. */
  errorHeaders(status: number, requestId: string, reply: MockErrorReply): Record<string, string>;
  /** The frame a real stream carries when the server fails mid-stream. */
  midStreamErrorFrame(requestId: string): WireFrame;
  /** A frame whose JSON payload is cut short. */
  malformedFrame(): WireFrame;
  modelsBody(): unknown;
  /** Answer for an unknown route. */
  notFound(method: string, path: string): MockErrorReply;
}

/** `retry-after` / `retry-after-ms` headers for an error reply that carries a hint. */
export function retryAfterHeaders(reply: MockErrorReply): Record<string, string> {
  const headers: Record<string, string> = {};
  if (reply.retryAfterMs !== undefined) {
    headers["retry-after-ms"] = String(reply.retryAfterMs);
    headers["retry-after"] = String(Math.ceil(reply.retryAfterMs / 1000));
  }
  if (reply.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(reply.retryAfterSeconds);
  }
  return headers;
}

/** Seconds hinted by an error reply, if any. */
export function retryAfterSecondsOf(reply: MockErrorReply): number | undefined {
  if (reply.retryAfterSeconds !== undefined) return reply.retryAfterSeconds;
  if (reply.retryAfterMs !== undefined) return reply.retryAfterMs / 1000;
  return undefined;
}
