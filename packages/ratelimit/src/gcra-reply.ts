import { describeValue, ParseError } from "@llm/core";
import type { GcraOutcome } from "./gcra.js";

/**
 * The GCRA script's reply, `[granted 0|1, waitMs as "%.3f"]`, checked. Redis
 * is outside input here: a proxy, another version of the script under the
 * same SHA or a module can answer anything, and a cast would turn `null` into
 * a TypeError and `"abc"` into a `NaN` wait that sleeps no time at all.
 */
export function decodeGcraReply(reply: unknown): GcraOutcome {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new ParseError(
      `the rate-limit script answered ${describeValue(reply)}, expected [0|1, wait]`,
      {
        where: "rate-limit script reply",
      },
    );
  }
  const [granted, wait] = reply as [unknown, unknown];
  if (granted !== 0 && granted !== 1) {
    throw new ParseError(`granted is ${describeValue(granted)}, expected 0 or 1`, {
      where: "rate-limit script reply[0]",
    });
  }
  const waitMs = typeof wait === "string" || typeof wait === "number" ? Number(wait) : Number.NaN;
  if (!Number.isFinite(waitMs) || waitMs < 0 || (typeof wait === "string" && wait.trim() === "")) {
    throw new ParseError(`wait is ${describeValue(wait)}, expected a non-negative number of ms`, {
      where: "rate-limit script reply[1]",
    });
  }
  return { granted: granted === 1, waitMs };
}
