import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitAt } from "../test-support/bytes.js";
import { Utf8ChunkDecoder } from "./utf8-chunk-decoder.js";

const bytes = (...values: number[]) => Uint8Array.from(values);

/** Feeds every chunk, then ends: the whole text the decoder produced. */
const decodeAll = (decoder: Utf8ChunkDecoder, chunks: Uint8Array[]): string =>
  chunks.map((chunk) => decoder.decode(chunk)).join("") + decoder.end();

describe("Utf8ChunkDecoder", () => {
  it("keeps a character split across two chunks", () => {
    const euro = new TextEncoder().encode("a€b"); // € is three bytes
    const decoder = new Utf8ChunkDecoder(false);
    expect(decoder.decode(euro.subarray(0, 2))).toBe("a");
    expect(decoder.decode(euro.subarray(2))).toBe("€b");
    expect(decoder.end()).toBe("");
  });

  it("turns a character left unfinished at the end into U+FFFD", () => {
    const decoder = new Utf8ChunkDecoder(false);
    expect(decoder.decode(bytes(0x61, 0xe2, 0x82))).toBe("a");
    expect(decoder.end()).toBe("\ufffd");
  });

  it("replaces malformed bytes inside an ASCII-ended chunk as TextDecoder does", () => {
    const chunk = bytes(0xc0, 0x80, 0xed, 0xa0, 0x80, 0xf5, 0x41);
    expect(new Utf8ChunkDecoder(false).decode(chunk)).toBe(
      new TextDecoder("utf-8", { ignoreBOM: true }).decode(chunk),
    );
  });

  it("decodes a plain Uint8Array view (not a Buffer) at its offset", () => {
    const backing = new TextEncoder().encode("xxdata: hi\n");
    expect(new Utf8ChunkDecoder(false).decode(backing.subarray(2))).toBe("data: hi\n");
  });

  it("strips a leading BOM only when asked, and only at the start of the stream", () => {
    const bom = bytes(0xef, 0xbb, 0xbf);
    const line = new TextEncoder().encode("{}\n");
    const stripping = new Utf8ChunkDecoder(true);
    expect(stripping.decode(bom.subarray(0, 1))).toBe("");
    expect(stripping.decode(Uint8Array.from([...bom.subarray(1), ...line]))).toBe("{}\n");
    expect(stripping.decode(Uint8Array.from([...bom, ...line]))).toBe("\ufeff{}\n");
    expect(new Utf8ChunkDecoder(false).decode(Uint8Array.from([...bom, ...line]))).toBe(
      "\ufeff{}\n",
    );
  });

  it("returns nothing for an empty chunk or an end with nothing held", () => {
    const decoder = new Utf8ChunkDecoder(true);
    expect(decoder.decode(new Uint8Array(0))).toBe("");
    expect(decoder.end()).toBe("");
  });

  it("matches one streaming TextDecoder for any bytes cut anywhere", () => {
    // Bytes biased toward UTF-8 lead and continuation bytes, so splits land inside characters.
    const byte = fc.oneof(
      fc.integer({ min: 0, max: 0x7f }),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.constantFrom(0xc2, 0xe2, 0xed, 0xf0, 0xf4, 0x82, 0xac, 0xbf, 0xef, 0xbb),
    );
    fc.assert(
      fc.property(
        fc.array(byte, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (values, offsets, stripBOM) => {
          const whole = Uint8Array.from(values);
          const reference = new TextDecoder("utf-8", { ignoreBOM: !stripBOM });
          const expected =
            splitAt(whole, offsets)
              .map((chunk) => reference.decode(chunk, { stream: true }))
              .join("") + reference.decode();
          expect(decodeAll(new Utf8ChunkDecoder(stripBOM), splitAt(whole, offsets))).toBe(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
