import { describe, expect, it } from "vitest";
import { LimitExceededError } from "../errors/index.js";
import { collect, encode } from "../test-support/bytes.js";
import { DEFAULT_RESPONSE_LIMITS, resolveResponseLimits } from "./limits.js";
import { NDJSONParser, parseNDJSON } from "./ndjson-parser.js";
import { parseSSE, SSEParser } from "./sse-parser.js";

const KiB = 1024;

/** Feeds `chunk` until the parser throws; returns the error and the largest buffer it ever held. */
function feedUntilThrow(parser: SSEParser | NDJSONParser, chunk: string, maxChunks: number) {
  let peak = 0;
  for (let i = 0; i < maxChunks; i++) {
    try {
      parser.feed(chunk);
    } catch (error) {
      return { error, peak, fed: i + 1 };
    }
    peak = Math.max(peak, parser.bufferedLength);
  }
  return { error: undefined, peak, fed: maxChunks };
}

describe("response limits", () => {
  it("defaults to 1 MiB lines, 8 MiB events, 32 MiB bodies, 256 MiB streams, a 10 min stream deadline and 5 min idle", () => {
    expect(resolveResponseLimits(undefined)).toEqual({
      maxLineBytes: 1024 * 1024,
      maxEventBytes: 8 * 1024 * 1024,
      maxBodyBytes: 32 * 1024 * 1024,
      maxStreamBytes: 256 * 1024 * 1024,
      streamTotalMs: 600_000,
      streamIdleMs: 300_000,
    });
  });

  it("takes each given limit over its default", () => {
    const limits = resolveResponseLimits({ maxLineBytes: 10, streamIdleMs: 0 });
    expect(limits.maxLineBytes).toBe(10);
    expect(limits.streamIdleMs).toBe(0);
    expect(limits.maxEventBytes).toBe(DEFAULT_RESPONSE_LIMITS.maxEventBytes);
  });
});

describe("SSEParser limits", () => {
  it("stops an endless SSE line as soon as it passes maxLineBytes, never buffering more", () => {
    const parser = new SSEParser({ maxLineBytes: 64 * KiB });
    const { error, peak, fed } = feedUntilThrow(parser, `data: ${"x".repeat(KiB - 6)}`, 10_000);
    expect(error).toBeInstanceOf(LimitExceededError);
    const limit = error as LimitExceededError;
    expect(limit.code).toBe("LIMIT_EXCEEDED");
    expect(limit.limit).toBe("lineBytes");
    expect(limit.max).toBe(64 * KiB);
    expect(limit.value).toBe(65 * KiB);
    expect(limit.where).toBe("SSE line 1");
    expect(limit.retryable).toBe(false);
    expect(peak).toBeLessThanOrEqual(64 * KiB);
    expect(fed).toBe(65);
  });

  it("rejects an oversized line that arrives whole in one chunk with its line end", () => {
    const parser = new SSEParser({ maxLineBytes: 100 });
    parser.feed("data: ok\n\n");
    expect(() => parser.feed(`data: ${"y".repeat(200)}\n\n`)).toThrow(
      expect.objectContaining({ limit: "lineBytes", where: "SSE line 3" }),
    );
  });

  it("accepts a line of exactly maxLineBytes", () => {
    const parser = new SSEParser({ maxLineBytes: 16 });
    const line = `data: ${"z".repeat(10)}`;
    expect(line.length).toBe(16);
    expect(parser.feed(`${line}\n\n`)).toEqual([{ event: "message", data: "z".repeat(10) }]);
  });

  it("stops an event whose data lines grow past maxEventBytes", () => {
    const parser = new SSEParser({ maxLineBytes: 1 * KiB, maxEventBytes: 4 * KiB });
    const { error, peak } = feedUntilThrow(parser, `data: ${"d".repeat(500)}\n`, 1_000);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe("eventBytes");
    expect((error as LimitExceededError).max).toBe(4 * KiB);
    expect(peak).toBeLessThanOrEqual(1 * KiB);
  });

  it("lets events of many data lines through while each stays within maxEventBytes", () => {
    const parser = new SSEParser({ maxLineBytes: 1 * KiB, maxEventBytes: 4 * KiB });
    let count = 0;
    for (let i = 0; i < 100; i++) count += parser.feed(`data: ${"d".repeat(500)}\n\n`).length;
    expect(count).toBe(100);
  });

  it("passes its limits through parseSSE", async () => {
    async function* endless() {
      while (true) yield encode("data: ".concat("q".repeat(1000)));
    }
    const failure = await collect(parseSSE(endless(), { maxLineBytes: 10 * KiB })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LimitExceededError);
  });
});

describe("NDJSONParser limits", () => {
  it("stops an endless NDJSON line as soon as it passes maxLineBytes, never buffering more", () => {
    const parser = new NDJSONParser({ maxLineBytes: 32 * KiB });
    parser.feed('{"n":1}\n');
    const { error, peak } = feedUntilThrow(parser, "1".repeat(KiB), 10_000);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe("lineBytes");
    expect((error as LimitExceededError).where).toBe("NDJSON line 2");
    expect(peak).toBeLessThanOrEqual(32 * KiB);
  });

  it("rejects an oversized line that arrives whole with its newline", () => {
    const parser = new NDJSONParser({ maxLineBytes: 50 });
    expect(() => parser.feed(`{"s":"${"a".repeat(100)}"}\n`)).toThrow(LimitExceededError);
  });

  it("passes its limits through parseNDJSON", async () => {
    async function* endless() {
      while (true) yield encode("7".repeat(1000));
    }
    const failure = await collect(parseNDJSON(endless(), { maxLineBytes: 10 * KiB })).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(LimitExceededError);
  });
});
