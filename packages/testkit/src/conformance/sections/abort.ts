import { AbortError } from "@llm/core";
import { describe, expect, it } from "vitest";
import {
  type ConformanceContext,
  closedConnections,
  drain,
  hello,
  LONG_TEXT,
  rejectionOf,
  until,
} from "../context.js";

/** Frames 30 ms apart: a stream is still running when the test acts on it. */
const SLOW = { chunkMs: 30 };

/** The caller's signal, and the consumer leaving the loop, both end the HTTP request. */
export function abortSection(ctx: ConformanceContext): void {
  describe("abort", () => {
    it("rejects generate and stream at once, without sending, when the signal is already aborted", async () => {
      const controller = new AbortController();
      controller.abort();
      const options = { signal: controller.signal };
      expect(await rejectionOf(ctx.client().generate(hello, options))).toBeInstanceOf(AbortError);
      expect(await rejectionOf(drain(ctx.client().stream(hello, options)))).toBeInstanceOf(
        AbortError,
      );
      expect(ctx.mock().requests).toHaveLength(0);
    });

    it("rejects generate with AbortError when the signal aborts before the answer", async () => {
      ctx.mock().enqueue({ fault: "hang-headers" });
      const controller = new AbortController();
      const pending = rejectionOf(ctx.client().generate(hello, { signal: controller.signal }));
      await until(() => ctx.mock().requests.length === 1);
      controller.abort();
      expect(await pending).toBeInstanceOf(AbortError);
    });

    it.each(["fetch", "pool"] as const)(
      "aborts a stream mid-body when the signal aborts, closing its socket (%s)",
      async (transport) => {
        const slow = await ctx.ownServer(SLOW);
        slow.enqueue({ text: LONG_TEXT });
        const client = ctx.client({
          baseURL: slow.baseURL,
          ...(transport === "pool" ? { transport: ctx.pool() } : {}),
        });
        const controller = new AbortController();
        const seen: string[] = [];
        const error = await rejectionOf(
          (async () => {
            for await (const event of client.stream(hello, { signal: controller.signal })) {
              seen.push(event.type);
              if (event.type === "text-delta") controller.abort();
            }
          })(),
        );
        expect(error).toBeInstanceOf(AbortError);
        expect(seen).toEqual(["start", "text-delta"]);
        // The socket that carried the stream is destroyed (a pool may open a fresh idle one).
        await until(() => closedConnections(slow) >= 1);
        expect(closedConnections(slow)).toBeGreaterThanOrEqual(1);
      },
    );

    it.each(["fetch", "pool"] as const)(
      "closes the HTTP request when the consumer breaks out of for await (%s)",
      async (transport) => {
        const slow = await ctx.ownServer(SLOW);
        slow.enqueue({ text: LONG_TEXT });
        const client = ctx.client({
          baseURL: slow.baseURL,
          ...(transport === "pool" ? { transport: ctx.pool() } : {}),
        });
        let deltas = 0;
        for await (const event of client.stream(hello)) {
          if (event.type === "text-delta" && ++deltas === 2) break;
        }
        expect(deltas).toBe(2);
        // Closed long before the server would have finished it: a finished keep-alive socket stays open.
        await until(() => closedConnections(slow) >= 1);
        expect(closedConnections(slow)).toBeGreaterThanOrEqual(1);
      },
    );
  });
}
