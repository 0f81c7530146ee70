import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./retry-after.js";

describe("parseRetryAfter", () => {
  it("prefers retry-after-ms", () => {
    expect(parseRetryAfter({ "retry-after-ms": "1500", "retry-after": "9" })).toBe(1500);
  });

  it("reads retry-after as seconds", () => {
    expect(parseRetryAfter({ "retry-after": "2" })).toBe(2000);
    expect(parseRetryAfter({ "retry-after": "0.25" })).toBe(250);
  });

  it("reads retry-after as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter({ "retry-after": "Thu, 01 Jan 2026 00:00:05 GMT" }, now)).toBe(5000);
    expect(parseRetryAfter({ "retry-after": "Wed, 31 Dec 2025 23:59:00 GMT" }, now)).toBe(0);
  });

  it("returns undefined for absent, unparsable or absurd hints", () => {
    expect(parseRetryAfter({})).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "soon" })).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "-3" })).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "999999999" })).toBeUndefined();
    expect(parseRetryAfter({ "retry-after-ms": "abc" })).toBeUndefined();
    expect(parseRetryAfter({ "retry-after": "Fri, 01 Jan 2100 00:00:00 GMT" })).toBeUndefined();
  });
});
