import { AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import type { ResponseOrigin, StreamEvent } from "@llm/core";
import {
  langChainFinishReason,
  toResponseMetadata,
  toToolCallArgs,
  toUsageMetadata,
} from "./to-langchain-message.js";

/**
 * Our stream events → LangChain chunks, one at a time. LangChain adds chunks
 * up with `concat`, which joins strings: a tool call's id and name therefore
 * travel on its first chunk only, and later chunks carry argument text.
 */
export class StreamChunkMapper {
  #id: string | undefined;
  #model = "";
  #provider = "";
  #requestId: string | undefined;
  #origin: ResponseOrigin = { type: "upstream" };
  /** Tool calls (by index) whose id and name were already sent. */
  readonly #announced = new Set<number>();

  map(event: StreamEvent): ChatGenerationChunk | undefined {
    switch (event.type) {
      case "start":
        this.#id = event.id;
        this.#model = event.model;
        this.#provider = event.provider;
        this.#requestId = event.requestId;
        this.#origin = event.origin;
        return undefined;
      case "text-delta":
        return this.#chunk(event.delta, { content: event.delta });
      case "reasoning-delta":
        return this.#chunk("", {
          content: "",
          additional_kwargs: { reasoning_content: event.delta },
        });
      case "tool-call-delta": {
        const first = !this.#announced.has(event.index);
        this.#announced.add(event.index);
        return this.#chunk("", {
          content: "",
          tool_call_chunks: [
            {
              index: event.index,
              ...(first ? { id: event.toolCallId, name: event.toolName } : {}),
              args: event.argsDelta,
              type: "tool_call_chunk",
            },
          ],
        });
      }
      case "tool-call": {
        // Providers that send a call whole (no deltas) get it as one chunk.
        if (this.#announced.has(event.index)) return undefined;
        this.#announced.add(event.index);
        return this.#chunk("", {
          content: "",
          tool_call_chunks: [
            {
              index: event.index,
              id: event.toolCall.id,
              name: event.toolCall.name,
              args: JSON.stringify(toToolCallArgs(event.toolCall)),
              type: "tool_call_chunk",
            },
          ],
        });
      }
      case "usage":
        return undefined; // the finish event carries the final usage
      case "finish": {
        const metadata = toResponseMetadata({
          model: this.#model,
          provider: this.#provider,
          finishReason: event.finishReason,
          ...(event.rawFinishReason === undefined
            ? {}
            : { rawFinishReason: event.rawFinishReason }),
          ...(this.#requestId === undefined ? {} : { requestId: this.#requestId }),
          origin: this.#origin,
        });
        return this.#chunk(
          "",
          {
            content: "",
            usage_metadata: toUsageMetadata(event.usage),
            response_metadata: metadata,
          },
          { finish_reason: event.rawFinishReason ?? langChainFinishReason(event.finishReason) },
        );
      }
      case "error":
        throw event.error;
    }
  }

  #chunk(
    text: string,
    fields: ConstructorParameters<typeof AIMessageChunk>[0] & object,
    generationInfo?: Record<string, unknown>,
  ): ChatGenerationChunk {
    const message = new AIMessageChunk({
      ...fields,
      ...(this.#id === undefined ? {} : { id: this.#id }),
    });
    return new ChatGenerationChunk({
      text,
      message,
      ...(generationInfo ? { generationInfo } : {}),
    });
  }
}
