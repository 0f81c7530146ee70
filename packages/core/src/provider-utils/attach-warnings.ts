import type { ChatResponse } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import { type CallWarning, withFinishWarnings } from "../warnings.js";

/** `response` with the call's warnings set; untouched when there are none. */
export function withResponseWarnings(
  response: ChatResponse,
  warnings: CallWarning[],
): ChatResponse {
  if (warnings.length > 0) response.warnings = warnings;
  return response;
}

/**
 * `events` with the call's warnings on its `finish` event; `events` itself when
 * there are none, so a call without warnings pays for no extra generator.
 */
export function withStreamWarnings(
  events: AsyncGenerator<StreamEvent, void, undefined>,
  warnings: readonly CallWarning[],
): AsyncGenerator<StreamEvent, void, undefined> {
  return warnings.length > 0 ? withFinishWarnings(events, warnings) : events;
}
