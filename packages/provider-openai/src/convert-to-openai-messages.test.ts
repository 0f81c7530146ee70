import type { Message } from "@llm/core";
import { describe, expect, it } from "vitest";
import { convertToOpenAIMessages } from "./convert-to-openai-messages.js";

describe("convertToOpenAIMessages", () => {
  it("passes string-content messages through as the same objects", () => {
    const system: Message = { role: "system", content: "Be brief." };
    const user: Message = { role: "user", content: "Hi" };
    const assistant: Message = { role: "assistant", content: "Hello" };
    const out = convertToOpenAIMessages([system, user, assistant]);
    expect(out[0]).toBe(system);
    expect(out[1]).toBe(user);
    expect(out[2]).toBe(assistant);
  });

  it("maps text and images (URL and base64) to content parts", () => {
    const out = convertToOpenAIMessages([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
          {
            type: "image",
            source: { type: "base64", mediaType: "image/png", data: "iVBORw0KGgo=" },
          },
        ],
      },
    ]);
    expect(out).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
        ],
      },
    ]);
  });

  it("maps assistant tool calls to tool_calls with JSON-string arguments and drops reasoning", () => {
    const out = convertToOpenAIMessages([
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "thinking…" },
          {
            type: "tool-call",
            toolCallId: "call_1",
            toolName: "weather",
            input: { city: "Paris" },
          },
          { type: "tool-call", toolCallId: "call_2", toolName: "raw", input: "{not json" },
        ],
      },
    ]);
    expect(out).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Paris"}' },
          },
          { id: "call_2", type: "function", function: { name: "raw", arguments: "{not json" } },
        ],
      },
    ]);
  });

  it("keeps assistant text beside tool calls and joins text parts", () => {
    const out = convertToOpenAIMessages([
      {
        role: "assistant",
        content: [
          { type: "text", text: "Let me " },
          { type: "text", text: "check." },
          { type: "tool-call", toolCallId: "c", toolName: "t", input: {} },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "Done." }] },
    ]);
    expect(out[0]).toMatchObject({ role: "assistant", content: "Let me check." });
    expect(out[1]).toEqual({ role: "assistant", content: "Done." });
  });

  it("turns one tool message with several results into one tool message per call", () => {
    const out = convertToOpenAIMessages([
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "call_1", toolName: "weather", output: { temp: 21 } },
          {
            type: "tool-result",
            toolCallId: "call_2",
            toolName: "echo",
            output: "plain",
            isError: true,
          },
        ],
      },
    ]);
    expect(out).toEqual([
      { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
      { role: "tool", tool_call_id: "call_2", content: "plain" },
    ]);
  });
});
