import type { AssistantContentPart } from "./messages.js";
import { type ChatResponse, emptyUsage, type ResponseOrigin, type ToolCall } from "./response.js";
import type { StreamEvent } from "./stream-event.js";

/**
 * Folds stream events into the `ChatResponse` that `generate` would have
 * returned. Used by caches (to store a stream), tests and `generate`-over-stream.
 */
export class StreamAccumulator {
  id = "";
  model = "";
  provider = "";
  requestId: string | undefined;
  origin: ResponseOrigin = { type: "upstream" };
  #text = "";
  #reasoning = "";
  #reasoningSignature: string | undefined;
  readonly #toolCalls: ToolCall[] = [];
  #finish: Extract<StreamEvent, { type: "finish" }> | undefined;
  #usage = emptyUsage();

  add(event: StreamEvent): void {
    switch (event.type) {
      case "start":
        this.id = event.id;
        this.model = event.model;
        this.provider = event.provider;
        this.requestId = event.requestId;
        this.origin = event.origin;
        break;
      case "text-delta":
        this.#text += event.delta;
        break;
      case "reasoning-delta":
        this.#reasoning += event.delta;
        if (event.signature !== undefined) this.#reasoningSignature = event.signature;
        break;
      case "tool-call":
        this.#toolCalls.push(event.toolCall);
        break;
      case "usage":
        this.#usage = event.usage;
        break;
      case "finish":
        this.#finish = event;
        this.#usage = event.usage;
        break;
      case "tool-call-delta":
      case "error":
        break;
    }
  }

  get finished(): boolean {
    return this.#finish !== undefined;
  }

  toResponse(): ChatResponse {
    const content: AssistantContentPart[] = [];
    if (this.#reasoning) {
      content.push({
        type: "reasoning",
        text: this.#reasoning,
        ...(this.#reasoningSignature === undefined ? {} : { signature: this.#reasoningSignature }),
      });
    }
    if (this.#text) content.push({ type: "text", text: this.#text });
    for (const call of this.#toolCalls) {
      content.push({
        type: "tool-call",
        toolCallId: call.id,
        toolName: call.name,
        input: call.input,
        ...(call.providerMetadata === undefined ? {} : { providerMetadata: call.providerMetadata }),
      });
    }
    const response: ChatResponse = {
      id: this.id,
      model: this.model,
      provider: this.provider,
      text: this.#text,
      content,
      toolCalls: [...this.#toolCalls],
      finishReason: this.#finish?.finishReason ?? "other",
      usage: this.#usage,
      origin: this.origin,
    };
    if (this.#reasoning) response.reasoning = this.#reasoning;
    if (this.#finish?.rawFinishReason !== undefined)
      response.rawFinishReason = this.#finish.rawFinishReason;
    if (this.requestId !== undefined) response.requestId = this.requestId;
    if (this.#finish?.warnings !== undefined) response.warnings = this.#finish.warnings;
    if (this.#finish?.providerMetadata !== undefined)
      response.providerMetadata = this.#finish.providerMetadata;
    return response;
  }
}

/** Drains a stream into a `ChatResponse`. Throws what the stream throws. */
export async function collectStream(events: AsyncIterable<StreamEvent>): Promise<ChatResponse> {
  const acc = new StreamAccumulator();
  for await (const event of events) acc.add(event);
  return acc.toResponse();
}
