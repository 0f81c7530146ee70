import type { ChatRequest } from "./request.js";
import type { StreamEvent } from "./stream-event.js";

/**
 * Something the provider did not do as asked, while still answering: a
 * request setting it has no field for (OpenAI and `topK`), or a value it
 * cannot honour (Ollama and a forced `toolChoice`). Carried on
 * `ChatResponse.warnings` and on the stream's `finish` event, so a caller
 * learns that the answer was made without the setting instead of never knowing.
 */
export type CallWarning =
  | {
      type: "unsupported-setting";
      /** The request field that was not sent. */
      setting: keyof ChatRequest;
      /** Why, or what was done instead. */
      details?: string;
    }
  | { type: "other"; message: string };

/**
 * One `unsupported-setting` warning per field of `settings` that `request`
 * sets; none (and no allocation beyond the empty list) for a request that
 * sets none of them.
 */
export function unsupportedSettings(
  request: ChatRequest,
  settings: readonly (keyof ChatRequest)[],
  details?: string,
): CallWarning[] {
  const warnings: CallWarning[] = [];
  for (const setting of settings) {
    if (request[setting] === undefined) continue;
    warnings.push(
      details === undefined
        ? { type: "unsupported-setting", setting }
        : { type: "unsupported-setting", setting, details },
    );
  }
  return warnings;
}

/**
 * `events` with `warnings` added to the `finish` event. Callers wrap a
 * stream only when there are warnings, so a call without any pays nothing.
 */
export async function* withFinishWarnings(
  events: AsyncIterable<StreamEvent>,
  warnings: readonly CallWarning[],
): AsyncGenerator<StreamEvent, void, undefined> {
  for await (const event of events) {
    yield event.type === "finish"
      ? { ...event, warnings: [...(event.warnings ?? []), ...warnings] }
      : event;
  }
}
