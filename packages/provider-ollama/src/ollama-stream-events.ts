import {
  generateId,
  type JsonValue,
  NetworkError,
  ParseError,
  type StreamEvent,
  type StreamHandler,
  type Usage,
  wireShapeError,
} from "@llm/core";
import { convertOllamaToolCall } from "./convert-ollama-tool-call.js";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import { asOllamaResponse, isOllamaErrorBody } from "./ollama-api.js";
import { mapOllamaStreamError } from "./ollama-error.js";

const UPSTREAM = Object.freeze({ type: "upstream" as const });

/**
 * `/api/chat` NDJSON lines → stream events, for core's `driveStream`. `start`
 * goes out with the first line; `usage` and `finish` at the end, from the
 * `"done": true` line. A body that ends with no line, or before that line,
 * is an error: the answer was cut off.
 */
export class OllamaStreamEvents implements StreamHandler<JsonValue> {
  readonly #model: string;
  readonly #headers: Record<string, string>;
  #line = 0;
  #toolCallCount = 0;
  #usage: Usage | undefined;
  #rawFinish: string | undefined;
  #done = false;

  constructor(model: string, headers: Record<string, string>) {
    this.#model = model;
    this.#headers = headers;
  }

  push(value: JsonValue, out: StreamEvent[]): void {
    try {
      this.#read(value, out);
    } catch (error) {
      // A field not of the documented shape (null, a number for an array) is the body's fault.
      throw wireShapeError(error, "ollama", `stream line ${this.#line}`);
    }
  }

  #read(value: JsonValue, out: StreamEvent[]): void {
    this.#line++;
    if (isOllamaErrorBody(value))
      throw mapOllamaStreamError(value.error, this.#headers, this.#model);
    // Lines after `done` (there should be none) are read but ignored, so the socket can be reused.
    if (this.#done) return;
    const chunk = asOllamaResponse(value, `stream line ${this.#line}`);
    if (this.#line === 1) {
      const start: StreamEvent = {
        type: "start",
        id: generateId("ollama"),
        model: chunk.model ?? this.#model,
        provider: "ollama",
        origin: UPSTREAM,
      };
      const requestId = this.#headers["x-request-id"];
      if (requestId !== undefined) start.requestId = requestId;
      out.push(start);
    }
    const message = chunk.message;
    if (message) {
      if (message.thinking) out.push({ type: "reasoning-delta", delta: message.thinking });
      if (message.content) out.push({ type: "text-delta", delta: message.content });
      const calls = message.tool_calls;
      if (calls) {
        // Ollama sends each call whole: one delta with all the arguments, then the call.
        for (const wire of calls) {
          const call = convertOllamaToolCall(wire);
          const index = this.#toolCallCount++;
          out.push({
            type: "tool-call-delta",
            index,
            toolCallId: call.id,
            toolName: call.name,
            argsDelta: JSON.stringify(call.input),
          });
          out.push({ type: "tool-call", index, toolCall: call });
        }
      }
    }
    if (chunk.done === true) {
      this.#done = true;
      this.#usage = convertOllamaUsage(chunk);
      this.#rawFinish = chunk.done_reason;
    }
  }

  end(out: StreamEvent[]): void {
    if (this.#line === 0) {
      throw new ParseError("ollama ended the stream without sending a line", {
        where: "stream line 1",
        provider: "ollama",
      });
    }
    if (!this.#done) {
      throw new NetworkError('ollama ended the stream before it finished (no "done": true line)', {
        provider: "ollama",
      });
    }
    const usage = this.#usage as Usage;
    out.push({ type: "usage", usage });
    const finish: StreamEvent = {
      type: "finish",
      finishReason: mapOllamaFinishReason(this.#rawFinish, this.#toolCallCount > 0),
      usage,
    };
    if (this.#rawFinish !== undefined) finish.rawFinishReason = this.#rawFinish;
    out.push(finish);
  }
}
