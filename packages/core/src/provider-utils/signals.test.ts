import { describe, expect, it } from "vitest";
import { combineSignals, linkSignals } from "./signals.js";

describe("combineSignals", () => {
  it("returns undefined for no signal and the signal itself for one", () => {
    const one = new AbortController().signal;
    expect(combineSignals()).toBeUndefined();
    expect(combineSignals(undefined, one)).toBe(one);
  });

  it("aborts when any source aborts, with its reason", () => {
    const a = new AbortController();
    const b = new AbortController();
    const combined = combineSignals(a.signal, b.signal);
    b.abort("why");
    expect(combined?.aborted).toBe(true);
    expect(combined?.reason).toBe("why");
  });

  it("is aborted at once when a source already is", () => {
    const combined = combineSignals(new AbortController().signal, AbortSignal.abort("early"));
    expect(combined?.reason).toBe("early");
  });
});

describe("linkSignals", () => {
  it("stops following its sources after dispose", () => {
    const a = new AbortController();
    const linked = linkSignals(a.signal, undefined);
    linked.dispose();
    a.abort();
    expect(linked.signal.aborted).toBe(false);
  });
});
