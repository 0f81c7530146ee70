import { float32FromBase64, float32ToBase64, type JsonValue } from "@llm/core";
import type { ValueCodec } from "../tiered/envelope.js";

/** Bumped when the stored shape changes; an entry of another version reads as a miss. */
export const EMBEDDING_VERSION = 1;

/** Longest vector accepted back from a store: beyond any model's size, far below a memory problem. */
export const MAX_EMBEDDING_DIMENSIONS = 65_536;

/** One text's vector as the embedding cache keeps it. */
export interface CachedEmbedding {
  v: typeof EMBEDDING_VERSION;
  /** The model that computed it. */
  model: string;
  storedAt: number;
  vector: Float32Array;
}

/**
 * The L2 form of a `CachedEmbedding`: the vector's float32 bytes as base64
 * (`f32`) with its length (`dims`) beside it — 5.3 characters a dimension,
 * where JSON numbers take ~20, and exact. `fromJSON` checks everything it
 * reads and throws naming the field, so a poisoned or truncated entry is a
 * corrupt miss (`TieredCache` reports it through `onCorrupt`), never a vector
 * of garbage or a crash.
 */
export const embeddingCodec: ValueCodec<CachedEmbedding> = {
  toJSON: (entry) => ({
    v: entry.v,
    model: entry.model,
    at: entry.storedAt,
    dims: entry.vector.length,
    f32: float32ToBase64(entry.vector),
  }),
  fromJSON(json: JsonValue): CachedEmbedding {
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new TypeError("embedding: expected an object");
    }
    if (json.v !== EMBEDDING_VERSION) throw new TypeError(`embedding.v: version ${String(json.v)}`);
    if (typeof json.model !== "string") throw new TypeError("embedding.model: expected a string");
    if (typeof json.at !== "number") throw new TypeError("embedding.at: expected a number");
    const dims = json.dims;
    if (
      typeof dims !== "number" ||
      !Number.isInteger(dims) ||
      dims < 1 ||
      dims > MAX_EMBEDDING_DIMENSIONS
    ) {
      throw new TypeError(`embedding.dims: expected an integer in 1..${MAX_EMBEDDING_DIMENSIONS}`);
    }
    // Padded base64 of 4·dims bytes has exactly this length: check it before decoding anything.
    if (typeof json.f32 !== "string" || json.f32.length !== 4 * Math.ceil((dims * 4) / 3)) {
      throw new TypeError("embedding.f32: expected the base64 of dims float32s");
    }
    let vector: Float32Array;
    try {
      vector = float32FromBase64(json.f32, "embedding.f32", dims);
    } catch (error) {
      // Name what is wrong, never quote the stored bytes.
      throw new TypeError(error instanceof Error ? error.message : "embedding.f32: unreadable");
    }
    return { v: EMBEDDING_VERSION, model: json.model, storedAt: json.at, vector };
  },
};

/**
 * Why `value` cannot be served as a `CachedEmbedding`, or `undefined`. For
 * values that did not come through `embeddingCodec` (a bare L1, a custom
 * codec): the shape, a float32 vector of a sane length, finite values.
 */
export function cachedEmbeddingProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return "embedding: expected an object";
  const entry = value as Partial<CachedEmbedding>;
  if (entry.v !== EMBEDDING_VERSION) return `embedding.v: version ${String(entry.v)}`;
  if (typeof entry.model !== "string") return "embedding.model: expected a string";
  if (typeof entry.storedAt !== "number") return "embedding.storedAt: expected a number";
  const vector = entry.vector;
  if (!(vector instanceof Float32Array)) return "embedding.vector: expected a Float32Array";
  if (vector.length < 1 || vector.length > MAX_EMBEDDING_DIMENSIONS) {
    return `embedding.vector: ${vector.length} dimensions, expected 1..${MAX_EMBEDDING_DIMENSIONS}`;
  }
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) return `embedding.vector[${i}]: not a finite number`;
  }
  return undefined;
}
