import { TimeoutError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ConformanceContext, drain, hello, LONG_TEXT, rejectionOf } from "../context.js";

/** Deadlines of a call: the whole call, the first byte, the gap between two frames. */
export function timeoutsSection(ctx: ConformanceContext): void {
  describe("timeouts", () => {
    it("ends a call that outlives timeoutMs with a TimeoutError of phase total", async () => {
      ctx.mock().enqueue({ fault: "hang-headers" }, { fault: "hang-headers" });
      expect(await rejectionOf(ctx.client().generate(hello, { timeoutMs: 50 }))).toMatchObject({
        name: "TimeoutError",
        phase: "total",
        timeoutMs: 50,
      });
      expect(
        await rejectionOf(drain(ctx.client().stream(hello, { timeoutMs: 50 }))),
      ).toBeInstanceOf(TimeoutError);
    });

    it("ends a call whose headers never come with a TimeoutError of phase first-byte", async () => {
      ctx.mock().enqueue({ fault: "hang-headers" }, { fault: "hang-headers" });
      const options = { firstTokenTimeoutMs: 50, idleTimeoutMs: 5_000 };
      expect(await rejectionOf(ctx.client().generate(hello, options))).toMatchObject({
        name: "TimeoutError",
        phase: "first-byte",
      });
      expect(await rejectionOf(drain(ctx.client().stream(hello, options)))).toMatchObject({
        name: "TimeoutError",
        phase: "first-byte",
      });
    });

    it("ends a stream whose frames stop coming with a TimeoutError of phase idle", async () => {
      // Frames 2 s apart against a 100 ms idle deadline: the gap, not the total, ends it.
      const slow = await ctx.ownServer({ chunkMs: 2_000 });
      slow.enqueue({ text: LONG_TEXT });
      const error = await rejectionOf(
        drain(ctx.client({ baseURL: slow.baseURL }).stream(hello, { idleTimeoutMs: 100 })),
      );
      expect(error).toBeInstanceOf(TimeoutError);
      expect(error).toMatchObject({ phase: "idle" });
    });
  });
}
