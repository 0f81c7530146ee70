import {
  NetworkError,
  ParseError,
  type StreamEvent,
  type StreamHandler,
  wireShapeError,
} from "@llm/core";
import { asGeminiResponse, isGeminiErrorBody } from "./gemini-api.js";
import { mapGeminiStreamError } from "./gemini-error.js";
import { GeminiStreamState } from "./gemini-stream.js";

/**
 * `streamGenerateContent?alt=sse` payloads → stream events, for core's
 * `driveStream`: each payload is parsed once, checked (an `{ "error": … }`
 * payload fails the stream), then run through `GeminiStreamState`. A body
 * that ends with no chunk, or before a chunk with a `finishReason` (or a
 * block), is an error: the answer was cut off.
 */
export class GeminiStreamEvents implements StreamHandler<string> {
  readonly #headers: Record<string, string>;
  readonly #state: GeminiStreamState;
  #index = 0;
  #finished = false;

  constructor(model: string, headers: Record<string, string>) {
    this.#headers = headers;
    this.#state = new GeminiStreamState({ model, requestId: headers["x-request-id"] });
  }

  push(data: string, out: StreamEvent[]): void {
    try {
      this.#read(data, out);
    } catch (error) {
      // A field not of the documented shape (null, a number for an array) is the body's fault.
      throw wireShapeError(error, "gemini", `stream event ${this.#index}`);
    }
  }

  #read(data: string, out: StreamEvent[]): void {
    this.#index++;
    const where = `stream event ${this.#index}`;
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch (cause) {
      throw new ParseError("gemini sent a stream chunk that is not JSON", {
        where,
        provider: "gemini",
        cause,
      });
    }
    if (isGeminiErrorBody(value)) throw mapGeminiStreamError(value, this.#headers);
    const chunk = asGeminiResponse(value, where);
    if (chunk.candidates?.[0]?.finishReason !== undefined || chunk.promptFeedback?.blockReason) {
      this.#finished = true;
    }
    this.#state.chunk(chunk, out);
  }

  end(out: StreamEvent[]): void {
    if (this.#index === 0) {
      throw new ParseError("gemini ended the stream without sending a chunk", {
        where: "stream event 1",
        provider: "gemini",
      });
    }
    if (!this.#finished) {
      throw new NetworkError("gemini ended the stream before it finished (no finishReason)", {
        provider: "gemini",
      });
    }
    this.#state.end(out);
  }
}
