import { describe, expect, it } from "vitest";
import { AbortError } from "../errors/index.js";
import { abortableSleep } from "./sleep.js";

describe("abortableSleep", () => {
  it("resolves after the wait, and at once for zero", async () => {
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBeUndefined();
    await expect(abortableSleep(0)).resolves.toBeUndefined();
  });

  it("rejects with AbortError when the signal aborts mid-wait", async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(60_000, controller.signal);
    setTimeout(() => controller.abort(), 1);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });

  it("rejects at once for an aborted signal", async () => {
    await expect(abortableSleep(60_000, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
  });
});
