import { describe, expect, it } from "vitest";
import { AbortError, TimeoutError } from "../errors/errors.js";
import { type AbortTarget, RequestAborter } from "./request-aborter.js";

/** Records the reasons it was aborted with. */
class Target implements AbortTarget {
  readonly reasons: Error[] = [];
  abortRequest(reason: Error): void {
    this.reasons.push(reason);
  }
}

describe("RequestAborter", () => {
  it("ends its target once, with the reason given, however often it is aborted", () => {
    const aborter = new RequestAborter();
    const target = new Target();
    aborter.listen(target);
    const reason = new TimeoutError("total", 10);
    aborter.abort(reason);
    aborter.abort(new TimeoutError("idle", 5));
    expect(target.reasons).toEqual([reason]);
    expect(aborter.aborted).toBe(true);
    expect(aborter.reason).toBe(reason);
  });

  it("gives an AbortError as the reason when aborted without one", () => {
    const aborter = new RequestAborter();
    expect(aborter.aborted).toBe(false);
    expect(aborter.reason).toBeUndefined();
    aborter.abort();
    expect(aborter.reason).toBeInstanceOf(AbortError);
  });

  it("ends a target that listens after the abort at once", () => {
    const aborter = new RequestAborter();
    aborter.abort();
    const target = new Target();
    aborter.listen(target);
    expect(target.reasons).toEqual([aborter.reason]);
  });

  it("ends only the latest target, and none once detached", () => {
    const aborter = new RequestAborter();
    const queued = new Target();
    const running = new Target();
    aborter.listen(queued);
    aborter.listen(running);
    aborter.listen(undefined);
    aborter.abort();
    expect(queued.reasons).toEqual([]);
    expect(running.reasons).toEqual([]);
  });
});
