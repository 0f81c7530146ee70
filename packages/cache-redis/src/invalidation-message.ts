import type { StoreInvalidation } from "@llm/cache";

/** One pub/sub message: the invalidation and the id of the store instance that made it. */
export function encodeInvalidation(origin: string, invalidation: StoreInvalidation): string {
  return JSON.stringify({ o: origin, ...invalidation });
}

/**
 * Longest message decoded. Ours carry one key, prefix or tag (cache keys are hashes, tags
 * short labels); anything on the channel is read by every subscribed process, so a huge one
 * must cost no parse (and no listener a huge key).
 */
export const MAX_INVALIDATION_MESSAGE_CHARS = 64 * 1024;

/** The invalidation, or `undefined` for a message that is not one of ours. */
export function decodeInvalidation(
  text: string,
): { origin: string; invalidation: StoreInvalidation } | undefined {
  if (text.length > MAX_INVALIDATION_MESSAGE_CHARS) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (typeof m.o !== "string") return undefined;
  const origin = m.o;
  switch (m.type) {
    case "key":
      return typeof m.key === "string"
        ? { origin, invalidation: { type: "key", key: m.key } }
        : undefined;
    case "prefix":
      return typeof m.prefix === "string"
        ? { origin, invalidation: { type: "prefix", prefix: m.prefix } }
        : undefined;
    case "tag":
      return typeof m.tag === "string"
        ? { origin, invalidation: { type: "tag", tag: m.tag } }
        : undefined;
    case "clear":
      return { origin, invalidation: { type: "clear" } };
    default:
      return undefined;
  }
}
