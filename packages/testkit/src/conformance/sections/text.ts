import type { StreamEvent } from "@llm/core";
import { describe, expect, it } from "vitest";
import type { ProviderName } from "../../types.js";
import { type ConformanceContext, drain, hello } from "../context.js";

/** Each wire format's own word for "cut at max tokens" (testkit writes it verbatim). */
const NATIVE_LENGTH_REASON: Record<ProviderName, string> = {
  openai: "length",
  anthropic: "max_tokens",
  gemini: "MAX_TOKENS",
  ollama: "length",
  "azure-openai": "length",
  mistral: "length",
  bedrock: "max_tokens",
};

const deltasOf = (events: StreamEvent[]): string =>
  events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");

/** Text in, text out: generate and stream, usage and finish reasons. */
export function textSection(ctx: ConformanceContext): void {
  describe("text", () => {
    it("generates text with finish reason stop, usage and the provider's name", async () => {
      ctx.mock().enqueue({ text: "Hello there", usage: { input: 12, output: 3 } });
      const response = await ctx.client().generate(hello);
      expect(response).toMatchObject({
        provider: ctx.adapter.provider,
        text: "Hello there",
        content: [{ type: "text", text: "Hello there" }],
        toolCalls: [],
        finishReason: "stop",
        usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 },
        origin: { type: "upstream" },
      });
      expect(typeof response.id).toBe("string");
      expect(typeof response.model).toBe("string");
    });

    it("streams start, text deltas that join to the answer, then finish with usage", async () => {
      ctx.mock().enqueue({ text: "Hello there friend", usage: { input: 5, output: 3 } });
      const events = await drain(ctx.client().stream(hello));
      expect(events[0]).toMatchObject({
        type: "start",
        provider: ctx.adapter.provider,
        origin: { type: "upstream" },
      });
      expect(events.filter((e) => e.type === "text-delta").length).toBeGreaterThan(1);
      expect(deltasOf(events)).toBe("Hello there friend");
      expect(events.at(-1)).toMatchObject({
        type: "finish",
        finishReason: "stop",
        usage: { inputTokens: 5, outputTokens: 3, totalTokens: 8 },
      });
    });

    it("sends per-call headers with generate and stream", async () => {
      ctx.mock().enqueue({ text: "a" }, { text: "b" });
      const options = { headers: { "x-trace-id": "trace-1" } };
      await ctx.client().generate(hello, options);
      await drain(ctx.client().stream(hello, options));
      expect(ctx.mock().requests.map((r) => r.headers["x-trace-id"])).toEqual([
        "trace-1",
        "trace-1",
      ]);
    });

    it("reports a length finish, with the raw reason, for an answer cut at max tokens", async () => {
      const raw = NATIVE_LENGTH_REASON[ctx.adapter.wireFormat];
      ctx.mock().enqueue({ text: "cut", finishReason: raw }, { text: "cut", finishReason: raw });
      const response = await ctx.client().generate({ ...hello, maxTokens: 1 });
      expect(response).toMatchObject({ finishReason: "length", rawFinishReason: raw });
      const events = await drain(ctx.client().stream({ ...hello, maxTokens: 1 }));
      expect(events.at(-1)).toMatchObject({
        type: "finish",
        finishReason: "length",
        rawFinishReason: raw,
      });
    });
  });
}
