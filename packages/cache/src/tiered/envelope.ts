import type { JsonValue } from "@llm/core";

/** Bumped when the L2 envelope changes; an entry of another version reads as a miss. */
export const ENVELOPE_VERSION = 1;

/** How a cached value becomes JSON for L2 and back. `fromJSON` throws on a value it does not accept. */
export interface ValueCodec<V> {
  toJSON(value: V): JsonValue;
  fromJSON(json: JsonValue): V;
}

/** What an L2 string decodes to. */
export interface Envelope<V> {
  /** When it was first stored (epoch ms). */
  storedAt: number;
  /** Epoch ms, or `undefined` for no expiry. */
  expiresAt: number | undefined;
  tags: string[];
  value: V;
}

export function encodeEnvelope<V>(envelope: Envelope<V>, codec: ValueCodec<V>): string {
  return JSON.stringify({
    v: ENVELOPE_VERSION,
    at: envelope.storedAt,
    exp: envelope.expiresAt ?? null,
    tags: envelope.tags,
    data: codec.toJSON(envelope.value),
  });
}

/** Throws on anything that is not a well-formed envelope of this version. */
export function decodeEnvelope<V>(text: string, codec: ValueCodec<V>): Envelope<V> {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new TypeError("not an object");
  const o = raw as Record<string, JsonValue>;
  if (o.v !== ENVELOPE_VERSION) throw new TypeError(`envelope version ${String(o.v)}`);
  if (typeof o.at !== "number") throw new TypeError("no storedAt");
  if (o.exp !== null && typeof o.exp !== "number") throw new TypeError("bad expiry");
  const tags = Array.isArray(o.tags)
    ? o.tags.filter((t): t is string => typeof t === "string")
    : [];
  if (!("data" in o) || o.data === undefined) throw new TypeError("no data");
  return { storedAt: o.at, expiresAt: o.exp ?? undefined, tags, value: codec.fromJSON(o.data) };
}

export const jsonCodec = <V>(): ValueCodec<V> => ({
  toJSON: (value) => value as JsonValue,
  fromJSON: (json) => json as V,
});
