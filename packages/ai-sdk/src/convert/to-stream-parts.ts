import type { ResponseOrigin, StreamEvent } from "@llm/core";
import type { ReplayedStreamPart } from "../ai-sdk-spec.js";
import { llmKitMetadata } from "./to-ai-sdk-result.js";
import { toAiSdkFinishReason, toAiSdkUsage } from "./usage.js";

/**
 * llm-kit stream events as the parts of an AI SDK `doStream` stream: text
 * and reasoning deltas grouped in `*-start` / `*-end` blocks, tool-call
 * deltas as `tool-input-*`, the `start` event as `response-metadata`, and a
 * failure as an `error` part (the AI SDK reports stream errors in-band).
 *
 * Pull-driven: nothing is read from `events` before the consumer asks, and
 * cancelling the stream ends the iterator, which aborts the call upstream.
 */
export function toStreamParts(
  events: AsyncIterable<StreamEvent>,
  mapError: (error: unknown) => unknown = (error) => error,
): ReadableStream<ReplayedStreamPart> {
  const iterator = events[Symbol.asyncIterator]();
  const blocks = new BlockTracker();
  let started = false;
  return new ReadableStream<ReplayedStreamPart>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue({ type: "stream-start", warnings: [] });
      }
      try {
        // An event may map to no part (usage); a pull that enqueues nothing is
        // not called again, so read on until something goes out.
        while (true) {
          const next = await iterator.next();
          if (next.done) {
            controller.close();
            return;
          }
          const parts = blocks.partsOf(next.value);
          for (const part of parts) controller.enqueue(part);
          if (parts.length > 0) return;
        }
      } catch (error) {
        controller.enqueue({ type: "error", error: mapError(error) });
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Which text / reasoning block is open, and which tool inputs have started. */
class BlockTracker {
  #open: { type: "text" | "reasoning"; id: string } | undefined;
  #blocks = 0;
  #origin: ResponseOrigin = { type: "upstream" };
  /** The start event's, for `llmKit.requestId` on finish, as a generated result has it. */
  #requestId: string | undefined;
  readonly #toolInputs = new Set<string>();

  partsOf(event: StreamEvent): ReplayedStreamPart[] {
    switch (event.type) {
      case "start":
        this.#origin = event.origin;
        this.#requestId = event.requestId;
        return [{ type: "response-metadata", id: event.id, modelId: event.model }];
      case "text-delta":
        return [
          ...this.#enter("text"),
          { type: "text-delta", id: this.#open!.id, delta: event.delta },
        ];
      case "reasoning-delta":
        return [
          ...this.#enter("reasoning"),
          { type: "reasoning-delta", id: this.#open!.id, delta: event.delta },
        ];
      case "tool-call-delta": {
        const parts = this.#close();
        if (!this.#toolInputs.has(event.toolCallId)) {
          this.#toolInputs.add(event.toolCallId);
          parts.push({ type: "tool-input-start", id: event.toolCallId, toolName: event.toolName });
        }
        parts.push({ type: "tool-input-delta", id: event.toolCallId, delta: event.argsDelta });
        return parts;
      }
      case "tool-call": {
        const parts = this.#close();
        const { id, name, input } = event.toolCall;
        if (this.#toolInputs.delete(id)) parts.push({ type: "tool-input-end", id });
        parts.push({
          type: "tool-call",
          toolCallId: id,
          toolName: name,
          input: JSON.stringify(input),
        });
        return parts;
      }
      case "usage":
        return []; // the finish event carries the final usage
      case "finish": {
        const parts = this.#close();
        parts.push({
          type: "finish",
          finishReason: toAiSdkFinishReason(event.finishReason, event.rawFinishReason),
          usage: toAiSdkUsage(event.usage),
          // Read by `streamText` callers as `providerMetadata.llmKit.origin`: cache hit or not;
          // the finish event's own metadata is read as a generated response's is.
          providerMetadata: llmKitMetadata({
            origin: this.#origin,
            ...(this.#requestId === undefined ? {} : { requestId: this.#requestId }),
            ...(event.providerMetadata === undefined
              ? {}
              : { providerMetadata: event.providerMetadata }),
          }),
        });
        return parts;
      }
      case "error":
        return [...this.#close(), { type: "error", error: event.error }];
    }
  }

  #enter(type: "text" | "reasoning"): ReplayedStreamPart[] {
    if (this.#open?.type === type) return [];
    const parts = this.#close();
    const id = String(this.#blocks++);
    this.#open = { type, id };
    parts.push(type === "text" ? { type: "text-start", id } : { type: "reasoning-start", id });
    return parts;
  }

  #close(): ReplayedStreamPart[] {
    const open = this.#open;
    if (open === undefined) return [];
    this.#open = undefined;
    return [
      open.type === "text"
        ? { type: "text-end", id: open.id }
        : { type: "reasoning-end", id: open.id },
    ];
  }
}
