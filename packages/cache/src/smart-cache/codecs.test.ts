import { describe, expect, it } from "vitest";
import { compressedJsonCodec, jsonCodec } from "./codecs.js";
import { SmartCache } from "./smart-cache.js";

const response = {
  id: "chatcmpl-1",
  text: "The quick brown fox jumps over the lazy dog. ".repeat(30),
  content: [{ type: "text", text: "The quick brown fox jumps over the lazy dog. ".repeat(30) }],
  usage: { inputTokens: 12, outputTokens: 300, totalTokens: 312 },
};

describe("codecs", () => {
  it("round-trip plain data through JSON and compressed JSON", () => {
    for (const codec of [jsonCodec<typeof response>(), compressedJsonCodec<typeof response>()]) {
      expect(codec.decode(codec.encode(response))).toEqual(response);
    }
  });

  it("compress a repetitive answer to a fraction of its JSON, in a one-byte string", () => {
    const json = JSON.stringify(response);
    const packed = compressedJsonCodec({ level: 9 }).encode(response);
    expect(packed.length).toBeLessThan(json.length / 5);
    expect([...packed].every((ch) => ch.charCodeAt(0) < 256)).toBe(true);
  });
});

describe("SmartCache with a codec", () => {
  it("stores the encoded form, accounts its bytes, and returns equal values", () => {
    const evicted: unknown[] = [];
    const plain = new SmartCache<typeof response>({ maxBytes: 1e6 });
    const packed = new SmartCache<typeof response>({
      maxBytes: 1e6,
      codec: compressedJsonCodec(),
      onEvict: (_k, value) => evicted.push(value),
    });
    plain.set("k", response);
    packed.set("k", response);
    expect(packed.get("k")).toEqual(response);
    expect(packed.peek("k")).toEqual(response);
    expect(packed.bytes).toBeLessThan(plain.bytes / 3);
    packed.delete("k");
    expect(evicted).toEqual([response]);
  });

  it("uses a custom sizeOf on the decoded value when given one", () => {
    const cache = new SmartCache<typeof response>({
      maxBytes: 1e6,
      codec: jsonCodec(),
      sizeOf: () => 777,
    });
    cache.set("k", response);
    expect(cache.bytes).toBe(777);
  });
});
