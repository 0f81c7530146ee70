import { InvalidRequestError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { convertToOllamaMessages } from "./convert-to-ollama-messages.js";

describe("convertToOllamaMessages", () => {
  it("keeps system, user and assistant text messages as they are", () => {
    expect(
      convertToOllamaMessages([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ]),
    ).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
    ]);
  });

  it("moves images into the base64 images array and joins text parts", () => {
    expect(
      convertToOllamaMessages([
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } },
            { type: "text", text: "Be precise." },
            { type: "image", source: { type: "url", url: "data:image/jpeg;base64,/9j/4AAQ" } },
          ],
        },
        { role: "user", content: [{ type: "text", text: "plain" }] },
      ]),
    ).toEqual([
      { role: "user", content: "What is this?\nBe precise.", images: ["iVBOR", "/9j/4AAQ"] },
      { role: "user", content: "plain" },
    ]);
  });

  it("refuses an image URL, which Ollama cannot fetch", () => {
    expect(() =>
      convertToOllamaMessages([
        {
          role: "user",
          content: [{ type: "image", source: { type: "url", url: "https://example.com/a.png" } }],
        },
      ]),
    ).toThrow(InvalidRequestError);
  });

  it("sends tool calls with object arguments and reasoning as thinking", () => {
    expect(
      convertToOllamaMessages([
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "Need the weather." },
            { type: "text", text: "Checking." },
            { type: "tool-call", toolCallId: "a", toolName: "weather", input: { city: "Paris" } },
            { type: "tool-call", toolCallId: "b", toolName: "echo", input: "x" },
            { type: "tool-call", toolCallId: "c", toolName: "noop", input: null },
          ],
        },
        { role: "assistant", content: [{ type: "text", text: "Done." }] },
      ]),
    ).toEqual([
      {
        role: "assistant",
        content: "Checking.",
        thinking: "Need the weather.",
        tool_calls: [
          { function: { name: "weather", arguments: { city: "Paris" } } },
          { function: { name: "echo", arguments: { value: "x" } } },
          { function: { name: "noop", arguments: {} } },
        ],
      },
      { role: "assistant", content: "Done." },
    ]);
  });

  it("sends each tool result as a tool message naming its tool", () => {
    expect(
      convertToOllamaMessages([
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "a", toolName: "weather", output: { tempC: 21 } },
            { type: "tool-result", toolCallId: "b", toolName: "echo", output: "x" },
          ],
        },
      ]),
    ).toEqual([
      { role: "tool", tool_name: "weather", content: '{"tempC":21}' },
      { role: "tool", tool_name: "echo", content: "x" },
    ]);
  });
});
