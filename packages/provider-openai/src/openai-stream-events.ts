import {
  DEFAULT_RESPONSE_LIMITS,
  generateId,
  type JsonValue,
  LimitExceededError,
  NetworkError,
  ParseError,
  readNullableString,
  readOptionalString,
  readRateLimitHeaders,
  type StreamEvent,
  ToolCallAssembler,
  type Usage,
  wireShapeError,
} from "@llm/core";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import { isOpenAIChatChunk, type OpenAIChatChunk } from "./openai-api.js";
import { openAIStreamError } from "./openai-error.js";

/**
 * Reads a server's own answer-level fields off the chunks of one stream (e.g.
 * Azure's content-filter verdicts): the streamed counterpart of the chat
 * client's `responseMetadata` hook. It sees every chunk, the id-less opening
 * one included; what `result()` returns goes on `finish.providerMetadata`.
 * It must keep what it holds bounded however many chunks arrive.
 */
export interface OpenAIStreamMetadataReader {
  read(chunk: OpenAIChatChunk): void;
  result(): Record<string, JsonValue> | undefined;
}

/** How a stream handler reads what goes beyond the shared Chat Completions chunk. */
export interface OpenAIStreamEventsOptions {
  /**
   * Most refusal text one stream may carry, in UTF-16 code units (as the SSE
   * parser counts); past it the stream fails with `LimitExceededError`.
   * The client passes its `maxBodyBytes`: what bounds the whole answer that
   * carries a refusal in `generate`. Default `DEFAULT_RESPONSE_LIMITS.maxBodyBytes`.
   */
  maxRefusalLength?: number;
  metadata?: OpenAIStreamMetadataReader;
}

const REFUSAL_PATH = "choices[0].delta.refusal";

/**
 * Chat Completions SSE payloads → stream events, as a synchronous state
 * machine: `push(data, out)` appends the events one `data:` payload produces
 * to `out`; `end(out)` appends the closing `usage` and `finish`.
 *
 * Synchronous on purpose: the client's one async generator drives it, so an
 * event costs an array push and one `yield`, not a hop through nested async
 * generators. Each payload is `JSON.parse`d exactly once.
 */
export class OpenAIStreamEvents {
  readonly #provider: string;
  readonly #model: string;
  readonly #headers: Record<string, string>;
  #toolCalls: ToolCallAssembler | undefined;
  #started = false;
  #done = false;
  #rawFinish: string | undefined;
  /** The refusal's text so far (`delta.refusal` fragments), as `generate` puts it in `providerMetadata`. */
  #refusal = "";
  #usage: Usage | undefined;
  #index = 0;
  readonly #maxRefusalLength: number;
  readonly #metadata: OpenAIStreamMetadataReader | undefined;

  constructor(
    provider: string,
    model: string,
    headers: Record<string, string>,
    options: OpenAIStreamEventsOptions = {},
  ) {
    this.#provider = provider;
    this.#model = model;
    this.#headers = headers;
    this.#maxRefusalLength = options.maxRefusalLength ?? DEFAULT_RESPONSE_LIMITS.maxBodyBytes;
    this.#metadata = options.metadata;
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
    // Payloads after [DONE] are ignored; the caller still reads the body to its end (socket reuse).
    if (this.#done) return;
    if (data === "[DONE]") {
      this.#done = true;
      return;
    }
    const chunk = this.#parse(data);
    if (chunk.error !== undefined)
      throw openAIStreamError(chunk.error, this.#headers, this.#provider);
    // Before the start check: Azure's prompt verdicts come in the id-less opening chunk.
    this.#metadata?.read(chunk);
    if (!this.#started) {
      // Azure opens a stream with a chunk that has no id, no model and no choices, only its
      // prompt_filter_results: the answer's id and model come with the next chunk.
      if (chunk.id === "" && chunk.choices?.length === 0 && !chunk.usage) return;
      this.#started = true;
      const start: StreamEvent = {
        type: "start",
        id: readOptionalString(chunk.id) ?? generateId("chatcmpl"),
        model: readOptionalString(chunk.model) ?? this.#model,
        provider: this.#provider,
        origin: { type: "upstream" },
      };
      const requestId = this.#headers["x-request-id"];
      if (requestId !== undefined) start.requestId = requestId;
      const rateLimit = readRateLimitHeaders(this.#headers);
      if (rateLimit !== undefined) start.rateLimit = rateLimit;
      out.push(start);
    }
    if (chunk.usage) this.#usage = convertOpenAIUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice === undefined) return;
    const delta = choice.delta;
    if (delta) {
      const provider = this.#provider;
      const reasoning =
        readNullableString(
          delta.reasoning_content,
          provider,
          "choices[0].delta.reasoning_content",
        ) ?? readNullableString(delta.reasoning, provider, "choices[0].delta.reasoning");
      if (reasoning) out.push({ type: "reasoning-delta", delta: reasoning });
      const text = readNullableString(delta.content, provider, "choices[0].delta.content");
      if (text) out.push({ type: "text-delta", delta: text });
      const refusal = readNullableString(delta.refusal, provider, REFUSAL_PATH);
      if (refusal) this.#addRefusal(refusal);
      const toolDeltas = delta.tool_calls;
      if (toolDeltas) {
        this.#toolCalls ??= new ToolCallAssembler(provider);
        const toolCalls = this.#toolCalls;
        for (let i = 0; i < toolDeltas.length; i++) {
          const toolDelta = toolDeltas[i];
          if (toolDelta === undefined) continue;
          const at = toolCalls.indexAt(toolDelta.index, i);
          const fn = toolDelta.function;
          toolCalls.append(at, toolDelta.id, fn?.name, fn?.arguments, out);
        }
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
      // Typically a server that ignored `stream: true` and answered with one JSON body.
      throw new ParseError(
        `${provider} ended the stream without sending a chunk (content-type: ${this.#headers["content-type"] ?? "none"})`,
        { where: `stream event ${this.#index}`, provider },
      );
    }
    if (!this.#done && this.#rawFinish === undefined) {
      throw new NetworkError(
        `${provider} ended the stream before it finished (no finish_reason, no [DONE])`,
        {
          provider,
        },
      );
    }
    this.#toolCalls?.flush(out);
    const usage = this.#usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    out.push({ type: "usage", usage });
    const refusal = this.#refusal;
    const finish: StreamEvent = {
      type: "finish",
      finishReason: refusal ? "content-filter" : mapOpenAIFinishReason(this.#rawFinish),
      usage,
    };
    if (this.#rawFinish) finish.rawFinishReason = this.#rawFinish;
    // As `generate` builds it: the refusal first, then the server's own fields.
    if (refusal) finish.providerMetadata = { refusal };
    const extra = this.#metadata?.result();
    if (extra !== undefined) finish.providerMetadata = { ...finish.providerMetadata, ...extra };
    out.push(finish);
  }

  #addRefusal(fragment: string): void {
    const length = this.#refusal.length + fragment.length;
    if (length > this.#maxRefusalLength) {
      throw new LimitExceededError(
        "bodyBytes",
        this.#maxRefusalLength,
        length,
        `${this.#provider} stream ${REFUSAL_PATH}`,
        { provider: this.#provider },
      );
    }
    this.#refusal += fragment;
  }

  #parse(data: string): OpenAIChatChunk {
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
    if (!isOpenAIChatChunk(value)) {
      throw new ParseError(`${this.#provider} sent a stream chunk that is not an object`, {
        where: `stream event ${this.#index}`,
        provider: this.#provider,
      });
    }
    return value;
  }
}
