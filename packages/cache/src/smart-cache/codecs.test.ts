import { deflateRawSync } from "node:zlib";
import { ConfigError, LimitExceededError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { compressedJsonCodec, DEFAULT_MAX_DECODED_BYTES, jsonCodec } from "./codecs.js";
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

describe("compressedJsonCodec bounds", () => {
  // 8 MiB of one repeated character deflates to about 8 KB: the shape of a deflate bomb.
  const bomb = deflateRawSync(JSON.stringify("a".repeat(8 * 1024 * 1024))).toString("latin1");

  it("refuses an entry that inflates past maxDecodedBytes with LimitExceededError", () => {
    const codec = compressedJsonCodec({ maxDecodedBytes: 1024 * 1024, hot: false });
    expect(bomb.length).toBeLessThan(64 * 1024);
    let thrown: unknown;
    try {
      codec.decode(bomb);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LimitExceededError);
    expect(thrown).toMatchObject({
      limit: "decodedBytes",
      max: 1024 * 1024,
      where: "compressed cache entry",
    });
  });

  it("decodes an entry of exactly maxDecodedBytes", () => {
    const value = "b".repeat(1000);
    const codec = compressedJsonCodec<string>({ maxDecodedBytes: JSON.stringify(value).length });
    expect(codec.decode(codec.encode(value))).toBe(value);
  });

  it("bounds by default at DEFAULT_MAX_DECODED_BYTES", () => {
    expect(DEFAULT_MAX_DECODED_BYTES).toBe(256 * 1024 * 1024);
    expect(compressedJsonCodec<string>().decode(bomb)).toHaveLength(8 * 1024 * 1024);
  });

  it("rejects a maxDecodedBytes that is not a usable size with a ConfigError", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 40]) {
      expect(() => compressedJsonCodec({ maxDecodedBytes: bad })).toThrow(ConfigError);
    }
  });
});
