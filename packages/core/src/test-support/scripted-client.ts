import type { CallOptions, LLMClient } from "../client.js";
import type { ChatRequest } from "../request.js";
import { type ChatResponse, emptyUsage } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import { toAbortError } from "../streaming/read-with-signal.js";

/** One scripted call: an answer, a failure, or a hang that only the signal ends. */
export interface Step {
  text?: string;
  error?: unknown;
  /** For streams: the events to yield; `error` (if any) is thrown after them. */
  events?: StreamEvent[];
  /** Never answers (after `events`, for streams) until the call's signal aborts. */
  hang?: boolean;
}

export interface ScriptedClient extends LLMClient {
  readonly calls: Array<{ request: ChatRequest; options: CallOptions | undefined }>;
}

export const textResponse = (text: string, provider = "fake"): ChatResponse => ({
  id: `resp-${text}`,
  model: "fake-model",
  provider,
  text,
  content: [{ type: "text", text }],
  toolCalls: [],
  finishReason: "stop",
  usage: emptyUsage(),
  origin: { type: "upstream" },
});

export const textStream = (text: string, provider = "fake"): StreamEvent[] => [
  {
    type: "start",
    id: `resp-${text}`,
    model: "fake-model",
    provider,
    origin: { type: "upstream" },
  },
  { type: "text-delta", delta: text },
  { type: "finish", finishReason: "stop", usage: emptyUsage() },
];

/** Waits until `signal` aborts, then throws its error; forever without a signal. */
function hang(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_, reject) => {
    signal?.addEventListener("abort", () => reject(toAbortError(signal)), { once: true });
  });
}

/**
 * A test-only LLMClient that plays `steps` in order, one per call (the last
 * step repeats), and records every call.
 */
export function scriptedClient(steps: Step[], provider = "fake", model?: string): ScriptedClient {
  const calls: ScriptedClient["calls"] = [];
  let index = 0;
  const nextStep = (): Step => {
    const step = steps[Math.min(index, steps.length - 1)];
    index++;
    if (!step) throw new Error("scriptedClient needs at least one step");
    return step;
  };
  return {
    provider,
    ...(model === undefined ? {} : { model }),
    calls,
    async generate(request, options) {
      calls.push({ request, options });
      const step = nextStep();
      if (step.hang) return hang(options?.signal);
      if (step.error !== undefined) throw step.error;
      return textResponse(step.text ?? "ok", provider);
    },
    async *stream(request, options) {
      calls.push({ request, options });
      const step = nextStep();
      const events =
        step.events ??
        (step.error === undefined && !step.hang ? textStream(step.text ?? "ok", provider) : []);
      for (const event of events) yield event;
      if (step.hang) await hang(options?.signal);
      if (step.error !== undefined) throw step.error;
    },
  };
}
