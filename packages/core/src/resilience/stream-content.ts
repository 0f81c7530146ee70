import { LLMError } from "../errors/llm-error.js";
import type { StreamEvent } from "../stream-event.js";

/**
 * Events that carry the answer itself. Once one reached the consumer, a
 * retry or a fallback would show it a second, different answer.
 */
export function isContentEvent(event: StreamEvent): boolean {
  return (
    event.type === "text-delta" ||
    event.type === "reasoning-delta" ||
    event.type === "tool-call-delta" ||
    event.type === "tool-call"
  );
}

/** Any thrown value as an `LLMError` (unknown errors are wrapped, with the original as `cause`). */
export function toLLMError(error: unknown, provider?: string): LLMError {
  if (error instanceof LLMError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new LLMError(message || "Unknown error", {
    cause: error,
    ...(provider === undefined ? {} : { provider }),
  });
}

/**
 * Runs one stream attempt for a retry or fallback loop. Events before the
 * first content event (`start`, …) are held back, so that if the attempt
 * fails before any content the consumer never sees its half-started stream;
 * from the first content event on, everything passes straight through.
 * `state.content` tells the caller whether content went out.
 */
export async function* attemptStream(
  events: AsyncIterable<StreamEvent>,
  state: { content: boolean },
): AsyncGenerator<StreamEvent, void, undefined> {
  let held: StreamEvent[] | undefined = [];
  for await (const event of events) {
    if (held === undefined) {
      yield event;
      continue;
    }
    if (!isContentEvent(event)) {
      held.push(event);
      continue;
    }
    state.content = true;
    const pending = held;
    held = undefined;
    for (const e of pending) yield e;
    yield event;
  }
  if (held) for (const e of held) yield e;
}

/** Turns a thrown error into a final `{ type: "error" }` event, for consumers that want errors in-band. */
export async function* catchStreamErrors(
  events: AsyncIterable<StreamEvent>,
): AsyncGenerator<StreamEvent, void, undefined> {
  try {
    yield* events;
  } catch (error) {
    yield { type: "error", error: toLLMError(error) };
  }
}
