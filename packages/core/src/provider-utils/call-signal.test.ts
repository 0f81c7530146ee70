import { describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../errors/errors.js";
import { openCallSignal } from "./call-signal.js";

describe("openCallSignal", () => {
  it("allocates nothing when there is nothing to combine", () => {
    const none = openCallSignal(undefined, false);
    expect(none.signal).toBeUndefined();
    none.abort();
    none.dispose();
    const caller = new AbortController();
    expect(openCallSignal({ signal: caller.signal }, false).signal).toBe(caller.signal);
  });

  it("follows the caller's abort until disposed", () => {
    const caller = new AbortController();
    const call = openCallSignal({ signal: caller.signal }, true);
    caller.abort(new Error("stop"));
    expect(call.signal?.aborted).toBe(true);
    expect((call.signal!.reason as Error).message).toBe("stop");

    const later = new AbortController();
    const detached = openCallSignal({ signal: later.signal }, true);
    detached.dispose();
    later.abort();
    expect(detached.signal?.aborted).toBe(false);
  });

  it("aborts with a total TimeoutError when the deadline passes", async () => {
    const call = openCallSignal({ timeoutMs: 5 }, false);
    await new Promise((r) => call.signal?.addEventListener("abort", r));
    expect(call.signal?.reason).toBeInstanceOf(TimeoutError);
    expect((call.signal!.reason as TimeoutError).phase).toBe("total");
    call.dispose();
  });

  it("lets the owner abort once, and refuses an already-aborted caller", () => {
    const call = openCallSignal({}, true);
    call.abort();
    call.abort();
    expect(call.signal?.aborted).toBe(true);
    const caller = new AbortController();
    caller.abort();
    expect(() => openCallSignal({ signal: caller.signal }, true)).toThrow(AbortError);
  });
});
