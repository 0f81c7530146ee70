import { describe, expect, it } from "vitest";
import { parseDuration, readRateLimitHeaders } from "./read-rate-limit-headers.js";

describe("readRateLimitHeaders", () => {
  it("reads OpenAI's x-ratelimit-* headers, resets as durations", () => {
    expect(
      readRateLimitHeaders({
        "x-ratelimit-limit-requests": "10000",
        "x-ratelimit-remaining-requests": "9999",
        "x-ratelimit-reset-requests": "6m0s",
        "x-ratelimit-limit-tokens": "2000000",
        "x-ratelimit-remaining-tokens": "1999000",
        "x-ratelimit-reset-tokens": "30ms",
      }),
    ).toEqual({
      requests: { limit: 10_000, remaining: 9_999, resetMs: 360_000 },
      tokens: { limit: 2_000_000, remaining: 1_999_000, resetMs: 30 },
    });
  });

  it("reads Anthropic's anthropic-ratelimit-* headers, resets as RFC 3339 times", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(
      readRateLimitHeaders(
        {
          "anthropic-ratelimit-requests-limit": "50",
          "anthropic-ratelimit-requests-remaining": "49",
          "anthropic-ratelimit-requests-reset": "2026-01-01T00:00:01.5Z",
          "anthropic-ratelimit-tokens-remaining": "1000",
        },
        now,
      ),
    ).toEqual({
      requests: { limit: 50, remaining: 49, resetMs: 1_500 },
      tokens: { remaining: 1_000 },
    });
  });

  it("reads the clock itself when no time is given: a reset already past is 0 ms away", () => {
    expect(
      readRateLimitHeaders({
        "anthropic-ratelimit-requests-remaining": "3",
        "anthropic-ratelimit-requests-reset": "2000-01-01T00:00:00Z",
      }),
    ).toEqual({ requests: { remaining: 3, resetMs: 0 } });
  });

  it("reads the IETF ratelimit-* fields as a requests window", () => {
    expect(
      readRateLimitHeaders({
        "ratelimit-limit": "100",
        "ratelimit-remaining": "7",
        "ratelimit-reset": "30",
      }),
    ).toEqual({
      requests: { limit: 100, remaining: 7, resetMs: 30_000 },
    });
  });

  it("returns undefined when there are none, and leaves out what does not parse", () => {
    expect(readRateLimitHeaders({ "content-type": "application/json" })).toBeUndefined();
    expect(
      readRateLimitHeaders({
        "x-ratelimit-remaining-requests": "many",
        "x-ratelimit-reset-requests": "soon",
        "x-ratelimit-remaining-tokens": ["12", "13"],
      }),
    ).toEqual({ tokens: { remaining: 12 } });
    expect(readRateLimitHeaders({ "x-ratelimit-remaining-requests": "-1" })).toBeUndefined();
    expect(
      readRateLimitHeaders({
        "anthropic-ratelimit-requests-remaining": "1",
        "anthropic-ratelimit-requests-reset": "x".repeat(41),
      }),
    ).toEqual({ requests: { remaining: 1 } });
    // A reset already past is 0 ms away.
    expect(
      readRateLimitHeaders({
        "anthropic-ratelimit-tokens-reset": "2026-01-01T00:00:00Z",
        "anthropic-ratelimit-tokens-remaining": "no",
      }),
    ).toEqual({ tokens: { resetMs: 0 } });
  });
});

describe("parseDuration", () => {
  it("parses Go-style durations and rejects anything else", () => {
    expect(parseDuration("1h2m3.5s")).toBe(3_723_500);
    expect(parseDuration("20ms")).toBe(20);
    expect(parseDuration(" 1s ")).toBe(1_000);
    expect(parseDuration("")).toBeUndefined();
    expect(parseDuration("5")).toBeUndefined();
    expect(parseDuration("1s garbage")).toBeUndefined();
    expect(parseDuration("1".repeat(40))).toBeUndefined();
  });
});
