import {
  generateId,
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
  #refused = false;
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
    // Payloads after [DONE] are ignored; the caller still reads the body to its end (socket reuse).
    if (this.#done) return;
    if (data === "[DONE]") {
      this.#done = true;
      return;
    }
    const chunk = this.#parse(data);
    if (chunk.error !== undefined)
      throw openAIStreamError(chunk.error, this.#headers, this.#provider);
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
      if (readNullableString(delta.refusal, provider, "choices[0].delta.refusal"))
        this.#refused = true;
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
    const finish: StreamEvent = {
      type: "finish",
      finishReason: this.#refused ? "content-filter" : mapOpenAIFinishReason(this.#rawFinish),
      usage,
    };
    if (this.#rawFinish) finish.rawFinishReason = this.#rawFinish;
    out.push(finish);
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
