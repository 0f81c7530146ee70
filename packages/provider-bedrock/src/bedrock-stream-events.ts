import {
  generateId,
  NetworkError,
  ParseError,
  parseToolArguments,
  type StreamEvent,
  type StreamHandler,
  type Usage,
} from "@llm/core";
import { type BedrockChunk, isBedrockChunk } from "./bedrock-api.js";
import { mapBedrockError } from "./bedrock-error.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import { mapBedrockFinishReason } from "./map-bedrock-finish-reason.js";

interface StreamingToolCall {
  id: string;
  name: string;
  args: string;
}

/**
 * SSE payloads → stream events, as the synchronous state machine `driveStream`
 * runs: `push(data, out)` appends what one payload produces, `end(out)` the
 * closing `tool-call`s, `usage` and `finish` (or throws when the stream ended
 * too soon). Each payload is `JSON.parse`d exactly once.
 */
export class BedrockStreamEvents implements StreamHandler<string> {
  readonly #model: string;
  readonly #headers: Record<string, string>;
  readonly #calls: StreamingToolCall[] = [];
  #started = false;
  #rawFinish: string | undefined;
  #usage: Usage | undefined;
  #index = 0;

  constructor(model: string, headers: Record<string, string>) {
    this.#model = model;
    this.#headers = headers;
  }

  push(data: string, out: StreamEvent[]): void {
    this.#index++;
    if (data === "[DONE]") return;
    const chunk = this.#parse(data);
    // An error object instead of a chunk: the status was already 200, so map it as a 500.
    if (chunk.error) {
      throw mapBedrockError({
        provider: "bedrock",
        status: 500,
        headers: this.#headers,
        bodyText: data,
      });
    }
    if (!this.#started) {
      this.#started = true;
      out.push({
        type: "start",
        id: chunk.id ?? generateId("bedrock"),
        model: chunk.model ?? this.#model,
        provider: "bedrock",
        origin: { type: "upstream" },
      });
    }
    if (chunk.usage) this.#usage = convertBedrockUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice?.delta?.content) out.push({ type: "text-delta", delta: choice.delta.content });
    for (const delta of choice?.delta?.tool_calls ?? []) {
      const at = delta.index ?? 0;
      let call = this.#calls[at];
      if (call === undefined) {
        call = { id: delta.id ?? generateId("call"), name: "", args: "" };
        this.#calls[at] = call;
      }
      if (delta.function?.name) call.name = delta.function.name;
      const argsDelta = delta.function?.arguments;
      if (argsDelta) {
        call.args += argsDelta;
        out.push({
          type: "tool-call-delta",
          index: at,
          toolCallId: call.id,
          toolName: call.name,
          argsDelta,
        });
      }
    }
    if (choice?.finish_reason) this.#rawFinish = choice.finish_reason;
  }

  end(out: StreamEvent[]): void {
    const raw = this.#rawFinish;
    if (raw === undefined)
      throw new NetworkError("bedrock ended the stream before it finished", {
        provider: "bedrock",
      });
    for (let i = 0; i < this.#calls.length; i++) {
      const call = this.#calls[i];
      if (call)
        out.push({
          type: "tool-call",
          index: i,
          toolCall: { id: call.id, name: call.name, input: parseToolArguments(call.args) },
        });
    }
    const usage = this.#usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    out.push({ type: "usage", usage });
    out.push({
      type: "finish",
      finishReason: mapBedrockFinishReason(raw),
      rawFinishReason: raw,
      usage,
    });
  }

  #parse(data: string): BedrockChunk {
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch (cause) {
      throw new ParseError("bedrock sent a stream chunk that is not JSON", {
        where: `stream event ${this.#index}`,
        provider: "bedrock",
        cause,
      });
    }
    if (!isBedrockChunk(value)) {
      throw new ParseError("bedrock sent a malformed stream chunk", {
        where: `stream event ${this.#index}`,
        provider: "bedrock",
      });
    }
    return value;
  }
}
