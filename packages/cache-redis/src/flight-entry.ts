import { streamEventProblem } from "@llm/cache";
import type { StreamEvent } from "@llm/core";

/** One entry of a flight's log, decoded and checked (see flight-scripts.ts for the layout). */
export type FlightEntry =
  | { type: "start"; token: string }
  | { type: "event"; token: string; event: StreamEvent }
  | { type: "truncated"; token: string }
  | { type: "done"; token: string; stored: boolean }
  | { type: "abandoned"; token: string };

/** Tokens are UUIDs; anything much longer is not ours. */
const MAX_TOKEN_LENGTH = 64;

/**
 * The entry, or a string saying what is wrong with it (never its content:
 * an event may hold anything a user typed). `fields` is the flat
 * `[name, value, …]` list Redis returns; `maxEventBytes` bounds the JSON
 * parsed, so a huge foreign entry costs no parse.
 */
export function decodeFlightEntry(
  fields: readonly string[],
  maxEventBytes: number,
): FlightEntry | string {
  if (fields.length > 8) return `${fields.length} fields, expected at most 6`;
  const named = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) named.set(fields[i]!, fields[i + 1]!);
  const type = named.get("t");
  const token = named.get("k");
  if (token === undefined || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return "missing or malformed leader token";
  }
  switch (type) {
    case "s":
      return { type: "start", token };
    case "o":
      return { type: "truncated", token };
    case "a":
      return { type: "abandoned", token };
    case "d":
      return { type: "done", token, stored: named.get("s") === "1" };
    case "e": {
      const data = named.get("d");
      if (data === undefined) return "event entry without data";
      // A string never has more UTF-16 units than UTF-8 bytes: a free pre-check before the exact one.
      if (data.length > maxEventBytes || Buffer.byteLength(data) > maxEventBytes) {
        return `event larger than ${maxEventBytes} bytes`;
      }
      let event: unknown;
      try {
        event = JSON.parse(data);
      } catch {
        return "event is not JSON";
      }
      const problem = streamEventProblem(event);
      return problem === undefined
        ? { type: "event", token, event: event as StreamEvent }
        : problem;
    }
    default:
      return `unknown entry type ${JSON.stringify(type)?.slice(0, 20)}`;
  }
}
