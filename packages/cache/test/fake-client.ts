import {
  AbortError,
  type CallOptions,
  type CallWarning,
  type ChatRequest,
  type ChatResponse,
  type FinishReason,
  type JsonValue,
  type LLMClient,
  ProviderError,
  type StreamEvent,
  type ToolCall,
} from "@llm/core";

export interface FakeBehaviour {
  /** Delay before the answer / between stream events, ms. */
  delayMs?: number;
  /** Throw a ProviderError (before any event, or after `afterEvents` stream events). */
  fail?: boolean;
  afterEvents?: number;
  finishReason?: FinishReason;
  toolCalls?: ToolCall[];
  /** Yield an in-band error event before finishing. */
  errorEvent?: boolean;
  /** End the stream without a finish event. */
  noFinish?: boolean;
  /** The answer's provider metadata, on a generated response and on a stream's finish alike. */
  providerMetadata?: Record<string, JsonValue>;
  /** Settings the "provider" ignored: on a generated response and on a stream's finish alike. */
  warnings?: CallWarning[];
}

/**
 * A deterministic, provider-less `LLMClient`: the answer is derived from the
 * last user message, so identical requests get identical answers and
 * different requests different ones. Counts upstream calls and records the
 * options each call got.
 */
export class FakeClient implements LLMClient {
  readonly provider = "fake";
  readonly model = "fake-model";
  calls = 0;
  generateCalls = 0;
  streamCalls = 0;
  readonly seenOptions: CallOptions[] = [];
  behaviour: FakeBehaviour = {};

  answerFor(request: ChatRequest): string {
    const last = request.messages.at(-1);
    const text = typeof last?.content === "string" ? last.content : JSON.stringify(last?.content);
    return `Answer to: ${text}`;
  }

  async generate(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
    this.calls++;
    this.generateCalls++;
    this.seenOptions.push(options);
    const b = this.behaviour;
    await sleep(b.delayMs ?? 0, options.signal);
    if (b.fail) throw new ProviderError("upstream exploded", { status: 500, provider: "fake" });
    const text = this.answerFor(request);
    const toolCalls = b.toolCalls ?? [];
    return {
      id: `resp-${this.calls}`,
      model: request.model ?? this.model,
      provider: this.provider,
      text,
      content: [
        { type: "text", text },
        ...toolCalls.map((c) => ({
          type: "tool-call" as const,
          toolCallId: c.id,
          toolName: c.name,
          input: c.input,
        })),
      ],
      toolCalls,
      finishReason: b.finishReason ?? (toolCalls.length ? "tool-calls" : "stop"),
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
      providerMetadata: b.providerMetadata ?? { upstream: true },
      ...(b.warnings === undefined ? {} : { warnings: b.warnings }),
      origin: { type: "upstream" },
    };
  }

  stream(request: ChatRequest, options: CallOptions = {}): AsyncIterable<StreamEvent> {
    this.calls++;
    this.streamCalls++;
    this.seenOptions.push(options);
    const b = this.behaviour;
    const events = this.eventsFor(request, this.calls);
    return {
      async *[Symbol.asyncIterator]() {
        let sent = 0;
        for (const event of events) {
          await sleep(b.delayMs ?? 0, options.signal);
          if (b.fail && sent === (b.afterEvents ?? 0)) {
            throw new ProviderError("stream broke", { status: 502, provider: "fake" });
          }
          if (b.noFinish && event.type === "finish") return;
          if (b.errorEvent && event.type === "finish") {
            yield {
              type: "error",
              error: new ProviderError("in-band", { status: 500 }),
            } satisfies StreamEvent;
          }
          yield event;
          sent++;
        }
      },
    };
  }

  eventsFor(request: ChatRequest, n: number): StreamEvent[] {
    const b = this.behaviour;
    const words = this.answerFor(request).split(/(?<= )/);
    const usage = { inputTokens: 10, outputTokens: words.length, totalTokens: 10 + words.length };
    const events: StreamEvent[] = [
      {
        type: "start",
        id: `stream-${n}`,
        model: request.model ?? this.model,
        provider: this.provider,
        origin: { type: "upstream" },
      },
      ...words.map((delta): StreamEvent => ({ type: "text-delta", delta })),
    ];
    (b.toolCalls ?? []).forEach((toolCall, index) => {
      const args = JSON.stringify(toolCall.input);
      const half = Math.ceil(args.length / 2);
      events.push({
        type: "tool-call-delta",
        index,
        toolCallId: toolCall.id,
        toolName: toolCall.name,
        argsDelta: args.slice(0, half),
      });
      events.push({
        type: "tool-call-delta",
        index,
        toolCallId: toolCall.id,
        toolName: toolCall.name,
        argsDelta: args.slice(half),
      });
      events.push({ type: "tool-call", index, toolCall });
    });
    events.push({ type: "usage", usage });
    events.push({
      type: "finish",
      finishReason: b.finishReason ?? (b.toolCalls?.length ? "tool-calls" : "stop"),
      rawFinishReason: "raw",
      usage,
      ...(b.providerMetadata === undefined ? {} : { providerMetadata: b.providerMetadata }),
      ...(b.warnings === undefined ? {} : { warnings: b.warnings }),
    });
    return events;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(new AbortError());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}
