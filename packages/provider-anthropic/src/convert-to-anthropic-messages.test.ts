import type { Message } from "@llm/core";
import { describe, expect, it } from "vitest";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";

describe("convertToAnthropicMessages", () => {
  it("hoists every system message into one system string", () => {
    const prompt = convertToAnthropicMessages([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "system", content: "Answer in French." },
    ]);
    expect(prompt.system).toBe("Be brief.\n\nAnswer in French.");
    expect(prompt.messages).toEqual([{ role: "user", content: "Hi" }]);
  });

  it("passes string-content user and assistant messages through as the same objects", () => {
    const user: Message = { role: "user", content: "Hi" };
    const assistant: Message = { role: "assistant", content: "Hello" };
    const prompt = convertToAnthropicMessages([user, assistant]);
    expect(prompt.system).toBeUndefined();
    expect(prompt.messages[0]).toBe(user);
    expect(prompt.messages[1]).toBe(assistant);
  });

  it("maps images given by URL and by base64", () => {
    const prompt = convertToAnthropicMessages([
      {
        role: "user",
        content: [
          { type: "text", text: "Compare" },
          { type: "image", source: { type: "url", url: "https://example.com/a.jpg" } },
          { type: "image", source: { type: "base64", mediaType: "image/jpeg", data: "/9j/4AAQ" } },
        ],
      },
    ]);
    expect(prompt.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Compare" },
          { type: "image", source: { type: "url", url: "https://example.com/a.jpg" } },
          { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
        ],
      },
    ]);
  });

  it("sends signed reasoning back as thinking blocks, drops unsigned reasoning and empty text", () => {
    const prompt = convertToAnthropicMessages([
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Let me look it up.", signature: "sig-1" },
          { type: "reasoning", text: "unsigned" },
          { type: "text", text: "" },
          {
            type: "tool-call",
            toolCallId: "toolu_1",
            toolName: "weather",
            input: { city: "Oslo" },
          },
          { type: "tool-call", toolCallId: "toolu_2", toolName: "raw", input: '{"a":1}' },
          { type: "tool-call", toolCallId: "toolu_3", toolName: "bad", input: "{oops" },
        ],
      },
    ]);
    expect(prompt.messages).toEqual([
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "Let me look it up.", signature: "sig-1" },
          { type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Oslo" } },
          { type: "tool_use", id: "toolu_2", name: "raw", input: { a: 1 } },
          { type: "tool_use", id: "toolu_3", name: "bad", input: {} },
        ],
      },
    ]);
  });

  it("puts tool results in a user turn and merges it with a following user message", () => {
    const prompt = convertToAnthropicMessages([
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: [
          {
            type: "tool-call",
            toolCallId: "toolu_1",
            toolName: "weather",
            input: { city: "Oslo" },
          },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "toolu_1", toolName: "weather", output: { temp: -3 } },
          {
            type: "tool-result",
            toolCallId: "toolu_2",
            toolName: "weather",
            output: "timeout",
            isError: true,
          },
        ],
      },
      { role: "user", content: "And in Celsius?" },
    ]);
    expect(prompt.messages).toEqual([
      { role: "user", content: "Weather in Oslo?" },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "weather", input: { city: "Oslo" } }],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_1", content: '{"temp":-3}' },
          { type: "tool_result", tool_use_id: "toolu_2", content: "timeout", is_error: true },
          { type: "text", text: "And in Celsius?" },
        ],
      },
    ]);
  });
});
