/**
 * A compact binary form of block traces such as the ARC paper's `start count x y` lines:
 * each line becomes two unsigned LEB128 varints — the zigzag-encoded distance from the
 * previous run's start, then the run length — and the whole is gzipped. Node 20's zlib has
 * no zstd, and this form is smaller than the zstd text it replaces (the `x y` columns are
 * dropped: the replay rules ignore them).
 *
 * Re-create a vendored file: `zstd -dc P2.lis.zst | node --import tsx block-trace.ts > P2.runs.gz`.
 */
import { readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";

/** One trace as dense ids (first occurrence order) plus the distinct keys as strings. */
export interface IdTrace {
  ids: Int32Array;
  keys: string[];
}

/** Encodes `start count …` lines (extra columns ignored). */
export function encodeBlockRuns(text: string): Buffer {
  const bytes: number[] = [];
  const varint = (value: number) => {
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
  };
  let previous = 0;
  for (const line of text.split("\n")) {
    const [startText, countText] = line.trim().split(/\s+/);
    if (startText === undefined || startText === "" || countText === undefined) continue;
    const start = Number(startText);
    const count = Number(countText);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || count < 1) {
      throw new Error(`block trace: bad line "${line}"`);
    }
    const delta = start - previous;
    varint(delta >= 0 ? delta * 2 : -delta * 2 - 1);
    varint(count);
    previous = start;
  }
  return gzipSync(Buffer.from(bytes), { level: 9 });
}

/** Decodes a file written by `encodeBlockRuns`, expanding each run into its blocks. */
export function decodeBlockRuns(gz: Buffer, limit = Number.POSITIVE_INFINITY): IdTrace {
  const bytes = gunzipSync(gz);
  let position = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[position++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  let ids = new Int32Array(1 << 20);
  let length = 0;
  const idOf = new Map<number, number>();
  const keys: string[] = [];
  let previous = 0;
  while (position < bytes.length && length < limit) {
    const zigzag = varint();
    const start = previous + (zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2);
    const count = varint();
    previous = start;
    for (let block = start; block < start + count && length < limit; block++) {
      let id = idOf.get(block);
      if (id === undefined) {
        id = keys.length;
        idOf.set(block, id);
        keys.push(String(block));
      }
      if (length === ids.length) {
        const grown = new Int32Array(ids.length * 2);
        grown.set(ids);
        ids = grown;
      }
      ids[length++] = id;
    }
  }
  return { ids: ids.subarray(0, length), keys };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1]);
if (isMain) process.stdout.write(encodeBlockRuns(readFileSync(0, "latin1")));
