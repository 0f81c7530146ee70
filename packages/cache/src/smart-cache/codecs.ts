import { deflateRawSync, inflateRawSync, constants as zlib } from "node:zlib";

/**
 * How SmartCache stores values when memory matters more than a few microseconds per hit:
 * each value is kept as one flat string instead of a graph of objects. A string is the most
 * compact thing a V8 heap holds (one byte per Latin-1 character, one header), and it is
 * counted honestly in `heapUsed` (no off-heap buffers).
 */
export interface SmartCacheCodec<V> {
  encode(value: V): string;
  decode(data: string): V;
}

/** JSON text. Values must survive `JSON.parse(JSON.stringify(v))` (plain data, no Dates or Maps). */
export function jsonCodec<V>(): SmartCacheCodec<V> {
  return {
    encode: (value) => JSON.stringify(value),
    decode: (data) => JSON.parse(data) as V,
  };
}

/**
 * JSON, deflated, held as a Latin-1 string (each compressed byte one character). LLM answers
 * are prose and repeat themselves (a response's `text` and its `content` parts carry the same
 * words), so this typically stores a response in a third of its object size; a hit costs an
 * inflate and a `JSON.parse` (tens of microseconds — nothing next to the model call it saves).
 */
export function compressedJsonCodec<V>(options: { level?: number } = {}): SmartCacheCodec<V> {
  const level = options.level ?? zlib.Z_DEFAULT_COMPRESSION;
  return {
    encode: (value) => deflateRawSync(JSON.stringify(value), { level }).toString("latin1"),
    decode: (data) => JSON.parse(inflateRawSync(Buffer.from(data, "latin1")).toString("utf8")) as V,
  };
}
