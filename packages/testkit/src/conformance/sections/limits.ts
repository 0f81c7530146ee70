import { LimitExceededError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ConformanceContext, drain, hello, rejectionOf } from "../context.js";

/** One "word" far longer than the limits below: a body, and a stream frame, larger than allowed. */
const HUGE_WORD = "x".repeat(8 * 1024);

/** Every input from outside has a size bound: an answer past it fails with a typed error. */
export function limitsSection(ctx: ConformanceContext): void {
  describe("response limits", () => {
    it("fails a JSON body larger than maxBodyBytes with LimitExceededError", async () => {
      ctx.mock().enqueue({ text: HUGE_WORD });
      const error = await rejectionOf(
        ctx.client({ limits: { maxBodyBytes: 1024 } }).generate(hello),
      );
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error).toMatchObject({ limit: "bodyBytes", max: 1024, retryable: false });
    });

    it("fails a stream line longer than maxLineBytes with LimitExceededError", async () => {
      ctx.mock().enqueue({ text: HUGE_WORD });
      const error = await rejectionOf(
        drain(ctx.client({ limits: { maxLineBytes: 1024 } }).stream(hello)),
      );
      expect(error).toBeInstanceOf(LimitExceededError);
      expect(error).toMatchObject({ limit: "lineBytes", max: 1024, retryable: false });
    });
  });
}
