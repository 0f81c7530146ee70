/** Longest hint taken seriously; anything above is treated as "no usable hint". */
const MAX_HINT_MS = 24 * 60 * 60 * 1000;

/**
 * Reads a provider's retry hint, in ms: `retry-after-ms` (OpenAI), else
 * `retry-after` as seconds or as an HTTP date. `undefined` when absent or
 * unparsable. Header names are expected lower-cased (as transports give them).
 */
export function parseRetryAfter(
  headers: Record<string, string | undefined>,
  now: number = Date.now(),
): number | undefined {
  const ms = headers["retry-after-ms"];
  if (ms !== undefined && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0 && value <= MAX_HINT_MS) return Math.ceil(value);
  }
  const after = headers["retry-after"]?.trim();
  if (!after) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) {
    return seconds >= 0 && seconds * 1000 <= MAX_HINT_MS ? Math.ceil(seconds * 1000) : undefined;
  }
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  const delta = date - now;
  return delta > MAX_HINT_MS ? undefined : Math.max(0, delta);
}
