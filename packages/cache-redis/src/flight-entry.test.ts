import { describe, expect, it } from "vitest";
import { decodeFlightEntry } from "./flight-entry.js";

const token = "0b7c4f3e-1111-4a4a-9c9c-123456789abc";

describe("decodeFlightEntry", () => {
  it("decodes every entry type of the log", () => {
    expect(decodeFlightEntry(["t", "s", "k", token], 100)).toEqual({ type: "start", token });
    expect(decodeFlightEntry(["t", "o", "k", token, "d", ""], 100)).toEqual({
      type: "truncated",
      token,
    });
    expect(decodeFlightEntry(["t", "a", "k", token, "s", "0"], 100)).toEqual({
      type: "abandoned",
      token,
    });
    expect(decodeFlightEntry(["t", "d", "k", token, "s", "1"], 100)).toEqual({
      type: "done",
      token,
      stored: true,
    });
    expect(
      decodeFlightEntry(["t", "e", "k", token, "d", '{"type":"text-delta","delta":"hi"}'], 100),
    ).toEqual({ type: "event", token, event: { type: "text-delta", delta: "hi" } });
  });

  it("names what is wrong with a foreign or damaged entry, never its content", () => {
    const bad = [
      [["t", "e", "k", token, "d", "{secret"], /not JSON/],
      [
        ["t", "e", "k", token, "d", JSON.stringify({ type: "text-delta", delta: "x".repeat(200) })],
        /larger than 100/,
      ],
      [["t", "e", "k", token, "d", '{"type":"text-delta","delta":5}'], /delta/],
      [["t", "e", "k", token], /without data/],
      [["t", "x", "k", token], /unknown entry type/],
      [["t", "s"], /token/],
      [["t", "s", "k", "y".repeat(100)], /token/],
      [Array.from({ length: 10 }, () => "f"), /fields/],
    ] as const;
    for (const [fields, reason] of bad) {
      const problem = decodeFlightEntry(fields, 100);
      expect(problem).toMatch(reason);
      expect(problem).not.toContain("secret");
    }
  });

  it("counts bytes, not characters, against the event bound", () => {
    const event = JSON.stringify({ type: "text-delta", delta: "é".repeat(40) });
    expect(event.length).toBeLessThan(100);
    expect(decodeFlightEntry(["t", "e", "k", token, "d", event], 100)).toMatch(/larger/);
  });
});
