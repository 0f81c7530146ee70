import {
  generateId,
  readNullableString,
  readOptionalString,
  type StreamEvent,
  type Usage,
} from "@llm/core";
import { convertGeminiUsage } from "./convert-gemini-usage.js";
import type { GeminiResponse } from "./gemini-api.js";
import type { ResponseContext } from "./gemini-response.js";
import { GeminiStreamToolCalls } from "./gemini-stream-tool-calls.js";
import { SIGNATURE_PATH } from "./gemini-tool-call-metadata.js";
import { mapGeminiFinishReason } from "./map-gemini-finish-reason.js";

const UPSTREAM = Object.freeze({ type: "upstream" as const });

/**
 * Turns `streamGenerateContent?alt=sse` chunks into stream events. `start`
 * goes out with the first chunk (it carries the response id); `usage` and
 * `finish` go out at the end, because every chunk repeats the cumulative
 * `usageMetadata` and the last one is the one that counts.
 */
export class GeminiStreamState {
  readonly #context: ResponseContext;
  readonly #toolCalls = new GeminiStreamToolCalls();
  #started = false;
  #sawReasoning = false;
  #rawFinishReason: string | undefined;
  #blocked = false;
  #usage: Usage | undefined;

  constructor(context: ResponseContext) {
    this.#context = context;
  }

  /** The events one chunk produces, appended to `out`. */
  chunk(response: GeminiResponse, out: StreamEvent[]): void {
    if (!this.#started) this.#start(response, out);
    if (response.usageMetadata) this.#usage = convertGeminiUsage(response.usageMetadata);
    const blockReason = response.promptFeedback?.blockReason;
    const candidate = response.candidates?.[0];
    if (candidate === undefined) {
      if (blockReason !== undefined) {
        this.#blocked = true;
        this.#rawFinishReason = readOptionalString(blockReason);
      }
      return;
    }
    const parts = candidate.content?.parts;
    if (parts) {
      for (const part of parts) {
        // Strict, as the text is: the signature goes back to Gemini with the next turn, and
        // one dropped for its type would be replaced by the skip value without a word.
        const signature = readNullableString(part.thoughtSignature, "gemini", SIGNATURE_PATH);
        if (part.functionCall) {
          this.#toolCalls.add(part.functionCall, out, signature);
        } else {
          const text = readNullableString(
            part.text,
            "gemini",
            "candidates[0].content.parts[].text",
          );
          if (text) {
            if (part.thought === true) {
              this.#sawReasoning = true;
              out.push(
                signature === undefined
                  ? { type: "reasoning-delta", delta: text }
                  : { type: "reasoning-delta", delta: text, signature },
              );
              continue;
            }
            out.push({ type: "text-delta", delta: text });
          }
        }
        // A signature on an answer part signs the reasoning before it.
        if (signature !== undefined && this.#sawReasoning) {
          out.push({ type: "reasoning-delta", delta: "", signature });
        }
      }
    }
    const finishReason = readOptionalString(candidate.finishReason);
    if (finishReason !== undefined) this.#rawFinishReason = finishReason;
  }

  /** The closing events: any unterminated tool call, `usage`, `finish`. */
  end(out: StreamEvent[]): void {
    if (!this.#started) this.#start({}, out);
    this.#toolCalls.close(out);
    const usage = this.#usage ?? convertGeminiUsage(undefined);
    out.push({ type: "usage", usage });
    const finish: StreamEvent = {
      type: "finish",
      finishReason: this.#blocked
        ? "content-filter"
        : mapGeminiFinishReason(this.#rawFinishReason, this.#toolCalls.count > 0),
      usage,
    };
    if (this.#rawFinishReason !== undefined) finish.rawFinishReason = this.#rawFinishReason;
    out.push(finish);
  }

  #start(response: GeminiResponse, out: StreamEvent[]): void {
    this.#started = true;
    const start: StreamEvent = {
      type: "start",
      id: readOptionalString(response.responseId) ?? generateId("gemini"),
      model: readOptionalString(response.modelVersion) ?? this.#context.model,
      provider: "gemini",
      origin: UPSTREAM,
    };
    if (this.#context.requestId !== undefined) start.requestId = this.#context.requestId;
    out.push(start);
  }
}
