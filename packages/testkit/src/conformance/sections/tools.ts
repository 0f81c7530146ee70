import type { ChatRequest } from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ConformanceContext, drain } from "../context.js";

const weather: ChatRequest = {
  messages: [{ role: "user", content: "Weather in Paris and Oslo?" }],
  tools: [
    {
      name: "weather",
      description: "Current weather for a city",
      parameters: {
        type: "object",
        properties: { city: { type: "string" } },
        required: ["city"],
      },
    },
  ],
};

const twoCalls = {
  toolCalls: [
    { id: "call_a", name: "weather", arguments: { city: "San Francisco" } },
    { id: "call_b", name: "weather", arguments: { city: "Oslo" } },
  ],
};

/** Tool definitions in, tool calls with parsed arguments out. */
export function toolsSection(ctx: ConformanceContext): void {
  describe("tools", () => {
    it("returns each tool call with its arguments parsed, and finish reason tool-calls", async () => {
      ctx.mock().enqueue(twoCalls);
      const response = await ctx.client().generate(weather);
      expect(response.finishReason).toBe("tool-calls");
      expect(response.toolCalls.map(({ name, input }) => ({ name, input }))).toEqual([
        { name: "weather", input: { city: "San Francisco" } },
        { name: "weather", input: { city: "Oslo" } },
      ]);
      for (const call of response.toolCalls) expect(call.id).toEqual(expect.any(String));
      expect(response.content.filter((part) => part.type === "tool-call")).toHaveLength(2);
    });

    it("streams each tool call whole, arguments parsed, then finish reason tool-calls", async () => {
      ctx.mock().enqueue(twoCalls);
      const events = await drain(ctx.client().stream(weather));
      const calls = events.flatMap((e) => (e.type === "tool-call" ? [e] : []));
      expect(
        calls.map((e) => ({ index: e.index, name: e.toolCall.name, input: e.toolCall.input })),
      ).toEqual([
        { index: 0, name: "weather", input: { city: "San Francisco" } },
        { index: 1, name: "weather", input: { city: "Oslo" } },
      ]);
      expect(events.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
    });
  });
}
