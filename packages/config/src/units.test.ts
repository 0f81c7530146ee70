import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load-config.js";
import { formatBytes, formatDuration, parseDuration, parseSize } from "./units.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["2d", 172_800_000],
    ["1h30m", 5_400_000],
    ["1m 30s", 90_000],
    ["1.5s", 1_500],
    ["1500", 1_500],
    [" 10S ", 10_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "abc", "5 parsecs", "-5s", "s", "1h30"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe("parseSize", () => {
  it.each([
    ["512", 512],
    ["512B", 512],
    ["512KB", 512_000],
    ["2k", 2_000],
    ["64MB", 64_000_000],
    ["1GB", 1_000_000_000],
    ["1TB", 1e12],
    ["1KiB", 1024],
    ["64MiB", 64 * 1024 ** 2],
    ["1GiB", 1024 ** 3],
    ["1Ti", 1024 ** 4],
    ["1.5 MiB", 1.5 * 1024 ** 2],
  ])("reads %s as %d bytes", (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(["", "MB", "12 parsecs", "-1MB", "1XB"])("rejects %j", (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe("formatting", () => {
  it("formats durations compactly", () => {
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(90_061_001)).toBe("1d1h1m1s1ms");
  });

  it("formats sizes with binary units", () => {
    expect(formatBytes(512)).toBe("512B");
    expect(formatBytes(1536)).toBe("1.5KiB");
    expect(formatBytes(64 * 1024 ** 2)).toBe("64MiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3GiB");
  });
});

describe("units in the schema", () => {
  it("turns duration and size strings into numbers", () => {
    const config = parseConfigText(
      "pool: { keepAliveTimeoutMs: 10s }\ncache: { l1: { maxBytes: 1GiB, ttlMs: 5m } }\nmemory: { budgetBytes: 512KB }\n",
    );
    expect(config.pool.keepAliveTimeoutMs).toBe(10_000);
    expect(config.cache.l1.maxBytes).toBe(1024 ** 3);
    expect(config.cache.l1.ttlMs).toBe(300_000);
    expect(config.memory.budgetBytes).toBe(512_000);
  });

  it("takes plain numbers as milliseconds and bytes", () => {
    const config = parseConfigText(
      "pool: { keepAliveTimeoutMs: 1234 }\nmemory: { budgetBytes: 4096 }\n",
    );
    expect(config.pool.keepAliveTimeoutMs).toBe(1234);
    expect(config.memory.budgetBytes).toBe(4096);
  });

  it("reports an unreadable size with its path and position", () => {
    expect(() =>
      parseConfigText("memory:\n  budgetBytes: lots\n", { file: "m.yaml" }),
    ).toThrowError(/memory\.budgetBytes: expected a size such as "512KB".*\(m\.yaml:2:16\)/);
  });
});
