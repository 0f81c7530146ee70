import type { Transport } from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ConformanceContext, drain } from "../context.js";

/** The provider works over @llm/pool as well as fetch, and reuses pooled sockets. */
export function transportSection(ctx: ConformanceContext): void {
  describe("pool transport", () => {
    it("generates and streams over a pool, reusing its connections", async () => {
      const pool = ctx.pool();
      // Counted, so a client that ignored `transport` (and used fetch) would fail here.
      let sent = 0;
      const counted: Transport = {
        request: (request) => {
          sent++;
          return pool.request(request);
        },
      };
      const pooled = ctx.client({ transport: counted });
      const ask = (content: string) => ({ messages: [{ role: "user" as const, content }] });
      const before = ctx.mock().stats().connections;
      for (let i = 0; i < 3; i++) {
        ctx.mock().enqueue({ text: `answer ${i}` });
        expect((await pooled.generate(ask(`generate ${i}`))).text).toBe(`answer ${i}`);
        ctx.mock().enqueue({ text: `streamed ${i}` });
        const events = await drain(pooled.stream(ask(`stream ${i}`)));
        expect(events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("")).toBe(
          `streamed ${i}`,
        );
        expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: "stop" });
      }
      // Six calls, each read to the end: the pool keeps their sockets alive and reuses them.
      expect(sent).toBe(6);
      expect(ctx.mock().stats().connections - before).toBeLessThan(6);
    });
  });
}
