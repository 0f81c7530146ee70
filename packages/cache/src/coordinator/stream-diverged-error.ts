import { LLMError } from "@llm/core";

/**
 * A stream that had to be restarted (its leader in another process died, or
 * this process stopped following it) produced a different answer from the
 * one its caller had already partly seen. Serving the rest would splice two
 * answers together; serving the new one whole would show the caller text
 * twice. So the stream ends with this error instead. Not retryable as is:
 * the caller holds a partial answer and must decide (discard it, ask again).
 */
export class StreamDivergedError extends LLMError {
  override readonly code: string = "STREAM_DIVERGED";
  /** Events the caller had seen when the restarted answer disagreed. */
  readonly shownEvents: number;

  constructor(shownEvents: number, detail: string) {
    super(`The restarted stream diverged from what its caller had already seen: ${detail}`, {
      retryable: false,
    });
    this.shownEvents = shownEvents;
  }
}
