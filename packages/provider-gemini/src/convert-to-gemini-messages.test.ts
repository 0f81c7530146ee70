import { describe, expect, it } from "vitest";
import { convertToGeminiMessages, SKIP_THOUGHT_SIGNATURE } from "./convert-to-gemini-messages.js";

describe("convertToGeminiMessages", () => {
  it("joins every system message into one system instruction", () => {
    expect(
      convertToGeminiMessages([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "system", content: "Answer in French." },
      ]),
    ).toEqual({
      systemInstruction: { parts: [{ text: "Be brief." }, { text: "Answer in French." }] },
      contents: [{ role: "user", parts: [{ text: "Hi" }] }],
    });
  });

  it("maps assistant turns to role model and leaves out the system instruction when there is none", () => {
    expect(
      convertToGeminiMessages([
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "assistant", content: "" },
        { role: "user", content: [{ type: "text", text: "Bye" }] },
      ]),
    ).toEqual({
      contents: [
        { role: "user", parts: [{ text: "Hi" }] },
        { role: "model", parts: [{ text: "Hello!" }] },
        { role: "user", parts: [{ text: "Bye" }] },
      ],
    });
  });

  it("sends base64 and data: URL images as inlineData and web URLs as fileData", () => {
    const { contents } = convertToGeminiMessages([
      {
        role: "user",
        content: [
          { type: "text", text: "Compare" },
          { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } },
          { type: "image", source: { type: "url", url: "data:image/webp;base64,UklGR" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.PNG?size=2" } },
          { type: "image", source: { type: "url", url: "https://example.com/photo" } },
        ],
      },
    ]);
    expect(contents[0]?.parts).toEqual([
      { text: "Compare" },
      { inlineData: { mimeType: "image/png", data: "iVBOR" } },
      { inlineData: { mimeType: "image/webp", data: "UklGR" } },
      { fileData: { mimeType: "image/png", fileUri: "https://example.com/cat.PNG?size=2" } },
      { fileData: { mimeType: "image/jpeg", fileUri: "https://example.com/photo" } },
    ]);
  });

  it("sends tool calls as functionCall parts, the first signed with the reasoning signature", () => {
    const { contents } = convertToGeminiMessages([
      {
        role: "assistant",
        content: [
          { type: "reasoning", text: "Need weather.", signature: "sig-1" },
          { type: "text", text: "" },
          { type: "text", text: "Checking." },
          { type: "tool-call", toolCallId: "a", toolName: "weather", input: { city: "Paris" } },
          { type: "tool-call", toolCallId: "b", toolName: "time", input: "UTC" },
          { type: "tool-call", toolCallId: "c", toolName: "noop", input: null },
        ],
      },
    ]);
    expect(contents).toEqual([
      {
        role: "model",
        parts: [
          { text: "Need weather.", thought: true },
          { text: "Checking." },
          { functionCall: { name: "weather", args: { city: "Paris" } }, thoughtSignature: "sig-1" },
          { functionCall: { name: "time", args: { value: "UTC" } } },
          { functionCall: { name: "noop", args: {} } },
        ],
      },
    ]);
  });

  it("signs an unsigned function call with the documented placeholder", () => {
    const { contents } = convertToGeminiMessages([
      {
        role: "assistant",
        content: [{ type: "tool-call", toolCallId: "a", toolName: "f", input: {} }],
      },
    ]);
    expect(contents[0]?.parts[0]?.thoughtSignature).toBe(SKIP_THOUGHT_SIGNATURE);
  });

  it("sends tool results as functionResponse parts of one user turn", () => {
    const { contents } = convertToGeminiMessages([
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "a", toolName: "weather", output: { tempC: 21 } },
          { type: "tool-result", toolCallId: "b", toolName: "time", output: "12:00" },
        ],
      },
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "c", toolName: "fail", output: "boom", isError: true },
        ],
      },
      { role: "user", content: "Thanks" },
    ]);
    expect(contents).toEqual([
      {
        role: "user",
        parts: [
          { functionResponse: { name: "weather", response: { tempC: 21 } } },
          { functionResponse: { name: "time", response: { result: "12:00" } } },
          { functionResponse: { name: "fail", response: { error: "boom" } } },
          { text: "Thanks" },
        ],
      },
    ]);
  });
});
