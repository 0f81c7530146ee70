import type { StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import { PrefixReconciler } from "./prefix-reconciler.js";
import { StreamDivergedError } from "./stream-diverged-error.js";

const start = (id: string): StreamEvent => ({
  type: "start",
  id,
  model: "m",
  provider: "p",
  origin: { type: "upstream" },
});
const text = (delta: string): StreamEvent => ({ type: "text-delta", delta });
const usage = { inputTokens: 1, outputTokens: 2, totalTokens: 3 };
const finish: StreamEvent = { type: "finish", finishReason: "stop", usage };

function reconciler() {
  const shown: StreamEvent[] = [];
  return { shown, r: new PrefixReconciler(shown, (event) => shown.push(event)) };
}

describe("PrefixReconciler", () => {
  it("shows every event of a first attempt", () => {
    const { shown, r } = reconciler();
    for (const event of [start("a"), text("Hello "), text("world"), finish]) r.accept(event);
    expect(shown).toEqual([start("a"), text("Hello "), text("world"), finish]);
    expect(r.caughtUp).toBe(true);
  });

  it("shows only what a restarted attempt adds beyond what was shown", () => {
    const { shown, r } = reconciler();
    for (const event of [start("a"), text("Hello ")]) r.accept(event);
    r.restart();
    expect(r.caughtUp).toBe(false);
    for (const event of [start("b"), text("Hello "), text("world"), finish]) r.accept(event);
    expect(shown).toEqual([start("a"), text("Hello "), text("world"), finish]);
  });

  it("recognises shown text cut into other deltas", () => {
    const { shown, r } = reconciler();
    for (const event of [start("a"), text("Hel"), text("lo wo")]) r.accept(event);
    r.restart();
    for (const event of [start("b"), text("Hello"), text(" world"), finish]) r.accept(event);
    expect(shown.map((e) => (e.type === "text-delta" ? e.delta : "")).join("")).toBe("Hello world");
    expect(shown.at(-2)).toEqual(text("rld"));
    expect(shown.filter((e) => e.type === "start")).toHaveLength(1);
  });

  it("fails typed when the restarted text differs from the text shown", () => {
    const { r } = reconciler();
    for (const event of [start("a"), text("Hello ")]) r.accept(event);
    r.restart();
    r.accept(start("b"));
    expect(() => r.accept(text("Goodbye"))).toThrow(StreamDivergedError);
  });

  it("fails typed when the restarted answer is shorter than what was shown", () => {
    const { r } = reconciler();
    for (const event of [start("a"), text("Hello world")]) r.accept(event);
    r.restart();
    r.accept(start("b"));
    r.accept(text("Hello"));
    const error = (() => {
      try {
        r.accept(finish);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(StreamDivergedError);
    expect(error).toMatchObject({ code: "STREAM_DIVERGED", retryable: false, shownEvents: 2 });
  });

  it("fails typed when an event of another kind comes where text was shown", () => {
    const { r } = reconciler();
    for (const event of [start("a"), text("Hi"), finish]) r.accept(event);
    r.restart();
    r.accept(start("b"));
    expect(() => r.accept({ type: "usage", usage })).toThrow(/usage event differs/);
  });

  it("fails typed when text comes where another event was shown", () => {
    const { r } = reconciler();
    for (const event of [start("a"), { type: "usage", usage } as StreamEvent]) r.accept(event);
    r.restart();
    r.accept(start("b"));
    expect(() => r.accept(text("x"))).toThrow(/text came where a usage event/);
  });
});
