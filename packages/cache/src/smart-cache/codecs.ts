import { constants as buffer } from "node:buffer";
import { deflateRawSync, inflateRawSync, constants as zlib } from "node:zlib";
import { ConfigError, LimitExceededError } from "@llm/core";
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
  /**
   * Largest inflated JSON a stored entry may decode to, in bytes; past it `decode` throws
   * `LimitExceededError` (`decodedBytes`) having inflated no more than that. Default
   * `DEFAULT_MAX_DECODED_BYTES` (256 MiB).
   */
  maxDecodedBytes?: number;
}

/**
 * 256 MiB: the most a stream may deliver (core's `maxStreamBytes`), so any answer that could
 * be cached fits, and half of V8's longest string, so the inflated bytes always become one.
 */
export const DEFAULT_MAX_DECODED_BYTES = 256 * 1024 * 1024;

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
  const maxDecodedBytes = options.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES;
  // Up to V8's longest string (UTF-8 never has fewer bytes than UTF-16 units): past it the
  // inflated bytes could not become one, and zlib would throw a raw RangeError on every decode.
  if (
    !Number.isSafeInteger(maxDecodedBytes) ||
    maxDecodedBytes < 1 ||
    maxDecodedBytes > buffer.MAX_STRING_LENGTH
  ) {
    throw new ConfigError("Invalid compressedJsonCodec options", {
      issues: [
        {
          path: "maxDecodedBytes",
          message: `must be an integer from 1 to ${buffer.MAX_STRING_LENGTH}, got ${String(maxDecodedBytes)}`,
        },
      ],
    });
  }
  // zlib stops at maxOutputLength: a deflate bomb (a few KB that inflate to gigabytes) costs at
  // most the bound, not the process. Made once: no options object per decode.
  const inflateOptions = { maxOutputLength: maxDecodedBytes };
  const inflate = (data: string): string => {
    let json: Buffer;
    try {
      json = inflateRawSync(Buffer.from(data, "latin1"), inflateOptions);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ERR_BUFFER_TOO_LARGE") throw error;
      throw new LimitExceededError(
        "decodedBytes",
        maxDecodedBytes,
        maxDecodedBytes + 1,
        "compressed cache entry",
        { cause: error },
      );
    }
    return json.toString("utf8");
  };
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
