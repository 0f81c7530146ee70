import { LLMError } from "@llm/core";

/**
 * An entry of a cross-process flight's log that is not one of ours (damaged,
 * foreign, too big). Never thrown into a request — the follower makes its own
 * call instead — but handed to `onError`. Names the key, not the content.
 */
export class FlightEntryCorruptError extends LLMError {
  override readonly code: string = "FLIGHT_ENTRY_CORRUPT";
  readonly key: string;
  readonly reason: string;

  constructor(key: string, reason: string) {
    super(`Corrupt flight log entry for ${key}: ${reason}`);
    this.key = key;
    this.reason = reason;
  }
}
