import { deflateRawSync, inflateRawSync, constants as zlib } from "node:zlib";
import { HotValues, type HotValuesOptions } from "./hot-values.js";

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

export interface CompressedJsonCodecOptions {
  /** zlib level, 1 (fastest) to 9 (smallest). Default: zlib's default (6). */
  level?: number;
  /**
   * Keep the decoded value of the hottest entries (see `HotValues`), so a
   * repeated hit skips the inflate and the parse. Bounded in entries and
   * estimated bytes; `false` decodes on every hit. Default: 256 entries, 4 MiB.
   */
  hot?: HotValuesOptions | false;
}

/** A codec that can report how its hot set is doing (tests, benches). */
export interface CompressedJsonCodec<V> extends SmartCacheCodec<V> {
  readonly hot: HotValues<V> | undefined;
}

/**
 * JSON, deflated, held as a Latin-1 string (each compressed byte one character). LLM answers
 * are prose and repeat themselves (a response's `text` and its `content` parts carry the same
 * words), so this typically stores a response in a third of its object size. A cold hit costs
 * an inflate and a `JSON.parse` (tens of microseconds); a hot one — an entry hit again while
 * it is among the most recently hit — returns its kept, deep-frozen decoded value.
 */
export function compressedJsonCodec<V>(
  options: CompressedJsonCodecOptions = {},
): CompressedJsonCodec<V> {
  const level = options.level ?? zlib.Z_DEFAULT_COMPRESSION;
  const hot = options.hot === false ? undefined : new HotValues<V>(options.hot);
  const inflate = (data: string): string =>
    inflateRawSync(Buffer.from(data, "latin1")).toString("utf8");
  return {
    hot,
    encode: (value) => deflateRawSync(JSON.stringify(value), { level }).toString("latin1"),
    decode(data) {
      if (hot === undefined) return JSON.parse(inflate(data)) as V;
      const kept = hot.get(data);
      if (kept !== undefined) return kept;
      const json = inflate(data);
      return hot.offer(data, JSON.parse(json) as V, json.length);
    },
  };
}
