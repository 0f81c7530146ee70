import {
  generateId,
  NetworkError,
  ParseError,
  readNullableString,
  readOptionalString,
  type StreamEvent,
  type StreamHandler,
  ToolCallAssembler,
  type Usage,
  wireShapeError,
} from "@llm/core";
import { convertMistralUsage } from "./convert-mistral-usage.js";
import { mapMistralFinishReason } from "./map-mistral-finish-reason.js";
import {
  isMistralChatChunk,
  type MistralChatChunk,
  type MistralResponseChunk,
  type MistralToolCall,
} from "./mistral-api.js";
import { mistralStreamError } from "./mistral-error.js";
import { readMistralRateLimitHeaders } from "./read-mistral-rate-limit-headers.js";

/**
 * Mistral SSE payloads → stream events, as the synchronous state machine
 * `driveStream` runs: `push(data, out)` appends what one `data:` payload
 * produces, `end(out)` the closing `tool-call`s, `usage` and `finish`.
 *
 * Mistral sends each tool call whole (id, name and all the arguments) in one
 * delta, usually the finishing one, and its `index` is not reliable across
 * parallel calls; so a delta with a new id starts a new call, and one without
 * an id continues the last (the OpenAI-style fragments some proxies send).
 */
export class MistralStreamEvents implements StreamHandler<string> {
  readonly #provider: string;
  readonly #model: string;
  readonly #headers: Record<string, string>;
  #toolCalls: ToolCallAssembler | undefined;
  #started = false;
  #done = false;
  #rawFinish: string | undefined;
  #usage: Usage | undefined;
  #index = 0;

  constructor(provider: string, model: string, headers: Record<string, string>) {
    this.#provider = provider;
    this.#model = model;
    this.#headers = headers;
  }

  push(data: string, out: StreamEvent[]): void {
    try {
      this.#read(data, out);
    } catch (error) {
      // A field not of the documented shape (null, a number for an array) is the body's fault.
      throw wireShapeError(error, this.#provider, `stream event ${this.#index}`);
    }
  }

  #read(data: string, out: StreamEvent[]): void {
    this.#index++;
    // Payloads after [DONE] are ignored; the driver still reads the body to its end.
    if (this.#done) return;
    if (data === "[DONE]") {
      this.#done = true;
      return;
    }
    const chunk = this.#parse(data);
    if (chunk.object === "error") throw mistralStreamError(chunk, this.#headers, this.#provider);
    if (!this.#started) {
      this.#started = true;
      const start: StreamEvent = {
        type: "start",
        id: readOptionalString(chunk.id) ?? generateId("cmpl"),
        model: readOptionalString(chunk.model) ?? this.#model,
        provider: this.#provider,
        origin: { type: "upstream" },
      };
      const requestId = this.#headers["x-request-id"];
      if (requestId !== undefined) start.requestId = requestId;
      const rateLimit = readMistralRateLimitHeaders(this.#headers);
      if (rateLimit !== undefined) start.rateLimit = rateLimit;
      out.push(start);
    }
    if (chunk.usage) this.#usage = convertMistralUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    if (delta) {
      pushContent(delta.content, out);
      if (delta.tool_calls) {
        for (const call of delta.tool_calls) this.#pushToolCall(call, out);
      }
    }
    if (choice.finish_reason) {
      // Any finish reason finishes the choice; one that is not a string keeps no raw value ("").
      this.#rawFinish = readOptionalString(choice.finish_reason) ?? "";
      this.#toolCalls?.flush(out);
    }
  }

  /** The body ended: checks it ended properly, then appends `usage` and `finish`. */
  end(out: StreamEvent[]): void {
    const provider = this.#provider;
    if (!this.#started) {
      throw new ParseError(
        `${provider} ended the stream without sending a chunk (content-type: ${this.#headers["content-type"] ?? "none"})`,
        { where: `stream event ${this.#index}`, provider },
      );
    }
    if (!this.#done && this.#rawFinish === undefined) {
      throw new NetworkError(
        `${provider} ended the stream before it finished (no finish_reason, no [DONE])`,
        { provider },
      );
    }
    this.#toolCalls?.flush(out);
    const usage = this.#usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    out.push({ type: "usage", usage });
    const finish: StreamEvent = {
      type: "finish",
      finishReason: mapMistralFinishReason(this.#rawFinish),
      usage,
    };
    if (this.#rawFinish) finish.rawFinishReason = this.#rawFinish;
    out.push(finish);
  }

  /** Mistral's `index` is not reliable across parallel calls: the id says which call a delta is. */
  #pushToolCall(wire: MistralToolCall, out: StreamEvent[]): void {
    this.#toolCalls ??= new ToolCallAssembler(this.#provider);
    const toolCalls = this.#toolCalls;
    const fn = wire.function;
    const raw = fn?.arguments;
    const argsDelta = typeof raw === "string" || raw === undefined ? raw : JSON.stringify(raw);
    toolCalls.append(toolCalls.indexFor(wire.id), wire.id, fn?.name, argsDelta, out);
  }

  #parse(data: string): MistralChatChunk {
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch (cause) {
      throw new ParseError(`${this.#provider} sent a stream chunk that is not JSON`, {
        where: `stream event ${this.#index}`,
        provider: this.#provider,
        cause,
      });
    }
    if (!isMistralChatChunk(value)) {
      throw new ParseError(`${this.#provider} sent a stream chunk that is not an object`, {
        where: `stream event ${this.#index}`,
        provider: this.#provider,
      });
    }
    return value;
  }
}

/**
 * A delta's content: a string of text, or chunks of text and (Magistral)
 * thinking; absent or null is none, anything else a `ParseError`.
 */
function pushContent(content: unknown, out: StreamEvent[]): void {
  if (!Array.isArray(content)) {
    const text = readNullableString(content, "mistral", "choices[0].delta.content");
    if (text) out.push({ type: "text-delta", delta: text });
    return;
  }
  for (const chunk of content as MistralResponseChunk[]) {
    if (chunk?.type === "thinking") {
      const text = thinkingText(chunk.thinking, STREAM_THINKING_PATH);
      if (text) out.push({ type: "reasoning-delta", delta: text });
    } else {
      const text = chunkText(chunk, STREAM_CHUNK_PATH);
      if (text) out.push({ type: "text-delta", delta: text });
    }
  }
}

const STREAM_CHUNK_PATH = "choices[0].delta.content[].text";
const STREAM_THINKING_PATH = "choices[0].delta.content[].thinking";

/**
 * A content chunk's text. Chunks without text (an image, a reference) give
 * "", but a `text` that is there and not a string is a `ParseError`: skipping
 * it would hand the caller a different answer than the one sent.
 */
export function chunkText(chunk: MistralResponseChunk, path: string): string {
  if (chunk === null || typeof chunk !== "object") {
    throw new ParseError(`mistral sent a content chunk that is not an object`, {
      where: path,
      provider: "mistral",
    });
  }
  return readNullableString(chunk.text, "mistral", path) ?? "";
}

/**
 * The text of a `thinking` chunk (`path` names its field): a string, or
 * nested text chunks; absent or null is none, anything else a `ParseError`
 * (dropping it would hand the caller different reasoning than was sent).
 */
export function thinkingText(chunks: unknown, path: string): string {
  if (!Array.isArray(chunks)) return readNullableString(chunks, "mistral", path) ?? "";
  let text = "";
  for (const chunk of chunks as MistralResponseChunk[]) text += chunkText(chunk, `${path}[].text`);
  return text;
}
