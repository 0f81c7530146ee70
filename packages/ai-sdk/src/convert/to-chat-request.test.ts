import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { toChatRequest } from "./to-chat-request.js";

const call = (prompt: LanguageModelV3Prompt, more: Partial<LanguageModelV3CallOptions> = {}) =>
  toChatRequest({ prompt, ...more });
const user = (text: string): LanguageModelV3Prompt[number] => ({
  role: "user",
  content: [{ type: "text", text }],
});

describe("toChatRequest", () => {
  it("maps every sampling setting to its ChatRequest field", () => {
    const result = call([user("hi")], {
      temperature: 0,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 100,
      stopSequences: ["END"],
      seed: 7,
      frequencyPenalty: 0.1,
      presencePenalty: 0.2,
      toolChoice: { type: "tool", toolName: "weather" },
      responseFormat: { type: "json" },
    });
    expect(result).toEqual({
      ok: true,
      request: {
        messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
        temperature: 0,
        topP: 0.9,
        topK: 40,
        maxTokens: 100,
        stop: ["END"],
        seed: 7,
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        toolChoice: { type: "tool", name: "weather" },
        responseFormat: { type: "json" },
      },
    });
  });

  it("names a JSON schema response format 'response' unless the caller named it", () => {
    const schema = { type: "object" as const, properties: {} };
    const unnamed = call([user("x")], { responseFormat: { type: "json", schema } });
    const named = call([user("x")], {
      responseFormat: { type: "json", schema, name: "person", description: "A person" },
    });
    expect(unnamed.ok && unnamed.request.responseFormat).toEqual({
      type: "json_schema",
      name: "response",
      schema,
    });
    expect(named.ok && named.request.responseFormat).toMatchObject({
      name: "person",
      description: "A person",
    });
    const text = call([user("x")], {
      responseFormat: { type: "text" },
      toolChoice: { type: "auto" },
    });
    expect(text.ok && text.request).toEqual({
      messages: [{ role: "user", content: [{ type: "text", text: "x" }] }],
      toolChoice: "auto",
    });
  });

  it("reads images as V3 bytes, base64 and URL, and as V4 data / url objects", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const result = call([
      {
        role: "user",
        content: [
          { type: "file", mediaType: "image/png", data: bytes },
          { type: "file", mediaType: "image/png", data: "AQID" },
          { type: "file", mediaType: "image/png", data: new URL("https://x.test/a.png") },
          { type: "file", mediaType: "image/png", data: { type: "data", data: bytes } as never },
          {
            type: "file",
            mediaType: "image/png",
            data: { type: "url", url: new URL("https://x.test/b.png") } as never,
          },
        ],
      },
    ]);
    const inline = {
      type: "image",
      source: { type: "base64", mediaType: "image/png", data: "AQID" },
    };
    expect(result.ok && result.request.messages[0]!.content).toEqual([
      inline,
      inline,
      { type: "image", source: { type: "url", url: "https://x.test/a.png" } },
      inline,
      { type: "image", source: { type: "url", url: "https://x.test/b.png" } },
    ]);
  });

  it("reports what it cannot express, and where", () => {
    const pdf = call([
      { role: "user", content: [{ type: "file", mediaType: "application/pdf", data: "JVBE" }] },
    ]);
    expect(pdf).toMatchObject({ ok: false, where: "prompt[0].content[0]" });
    const reference = call([
      {
        role: "user",
        content: [{ type: "file", mediaType: "image/png", data: { type: "reference" } as never }],
      },
    ]);
    expect(reference).toMatchObject({ ok: false, reason: 'file data of type "reference"' });
    const approval = call([
      {
        role: "tool",
        content: [{ type: "tool-approval-response", approvalId: "a", approved: true }],
      },
    ]);
    expect(approval).toMatchObject({ ok: false, where: "prompt[0].content[0]" });
    const executed = call([
      {
        role: "assistant",
        content: [
          {
            type: "tool-call",
            toolCallId: "c",
            toolName: "search",
            input: {},
            providerExecuted: true,
          },
        ],
      },
    ]);
    expect(executed).toMatchObject({ ok: false, reason: "a provider-executed tool call" });
    const file = call([
      { role: "assistant", content: [{ type: "file", mediaType: "image/png", data: "AQID" }] },
    ]);
    expect(file).toMatchObject({ ok: false, reason: 'an assistant "file" part' });
    const bytesInInput = call([
      {
        role: "assistant",
        content: [
          { type: "tool-call", toolCallId: "c", toolName: "t", input: { blob: new Uint8Array(1) } },
        ],
      },
    ]);
    expect(bytesInInput).toMatchObject({ ok: false, where: "prompt[0].content[0].input.blob" });
  });

  it("converts every kind of tool result output", () => {
    const result = (output: object) =>
      call([
        {
          role: "tool",
          content: [{ type: "tool-result", toolCallId: "c", toolName: "t", output } as never],
        },
      ]);
    const part = (converted: ReturnType<typeof toChatRequest>) =>
      converted.ok ? converted.request.messages[0]!.content : converted;
    expect(part(result({ type: "text", value: "ok" }))).toEqual([
      { type: "tool-result", toolCallId: "c", toolName: "t", output: "ok" },
    ]);
    expect(part(result({ type: "json", value: { a: 1 } }))).toMatchObject([{ output: { a: 1 } }]);
    expect(part(result({ type: "error-text", value: "bad" }))).toMatchObject([
      { output: "bad", isError: true },
    ]);
    expect(part(result({ type: "error-json", value: { e: 1 } }))).toMatchObject([
      { output: { e: 1 }, isError: true },
    ]);
    expect(part(result({ type: "execution-denied" }))).toMatchObject([
      { output: "Tool execution denied.", isError: true },
    ]);
    expect(part(result({ type: "execution-denied", reason: "no" }))).toMatchObject([
      { output: "no" },
    ]);
    expect(
      part(
        result({
          type: "content",
          value: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        }),
      ),
    ).toMatchObject([{ output: "ab" }]);
    expect(
      result({ type: "content", value: [{ type: "media", data: "x", mediaType: "image/png" }] }),
    ).toMatchObject({
      ok: false,
      where: "prompt[0].content[0].output[0]",
    });
  });

  it("keeps what ChatRequest has no field for under providerOptions['ai-sdk'], so keys still differ", () => {
    const result = call(
      [
        {
          role: "system",
          content: "sys",
          providerOptions: { anthropic: { cacheControl: { type: "ephemeral" } } },
        },
        {
          role: "assistant",
          content: [
            {
              type: "reasoning",
              text: "hmm",
              providerOptions: { anthropic: { signature: "sig" } },
            },
            { type: "text", text: "answer" },
            {
              type: "tool-call",
              toolCallId: "c1",
              toolName: "weather",
              input: { city: "Rome", skip: undefined },
            },
          ],
        },
      ],
      {
        tools: [
          {
            type: "function",
            name: "weather",
            inputSchema: { type: "object" },
            description: "d",
            strict: true,
          },
          {
            type: "function",
            name: "plain",
            inputSchema: { type: "object" },
            providerOptions: { openai: { x: 1 } },
          },
          { type: "provider", id: "openai.web_search", name: "web_search", args: {} },
        ],
        providerOptions: { openai: { user: "u1" }, llmKit: { cache: "refresh" } },
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.tools).toEqual([
      { name: "weather", parameters: { type: "object" }, description: "d", strict: true },
      { name: "plain", parameters: { type: "object" } },
    ]);
    expect(result.request.messages[1]!.content).toContainEqual({
      type: "tool-call",
      toolCallId: "c1",
      toolName: "weather",
      input: { city: "Rome" },
    });
    expect(result.request.providerOptions).toEqual({
      openai: { user: "u1" },
      "ai-sdk": {
        "prompt[0]": { anthropic: { cacheControl: { type: "ephemeral" } } },
        "prompt[1].content[0]": { anthropic: { signature: "sig" } },
        "tools[1]": { inputExamples: null, providerOptions: { openai: { x: 1 } } },
        "tools[2]": { id: "openai.web_search", name: "web_search", args: {} },
      },
    });
  });

  it("drops an empty tool list and keeps a request with provider tools only as extras", () => {
    const none = call([user("x")], { tools: [] });
    expect(none.ok && none.request.tools).toBeUndefined();
    const onlyProvider = call([user("x")], {
      tools: [{ type: "provider", id: "openai.web_search", name: "web_search", args: {} }],
    });
    expect(onlyProvider.ok && onlyProvider.request.tools).toBeUndefined();
  });

  it("refuses values that are not JSON, too deep, or not finite", () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 70; i++) at = at.next = {} as Record<string, unknown>;
    const tooDeep = call([user("x")], { providerOptions: { openai: deep as never } });
    expect(tooDeep).toMatchObject({ ok: false, reason: "nested deeper than 64" });
    const nan = call([user("x")], { providerOptions: { openai: { t: Number.NaN } } });
    expect(nan).toMatchObject({ ok: false, where: "providerOptions.openai.t" });
    const date = call([user("x")], { providerOptions: { openai: { when: new Date(0) as never } } });
    expect(date).toMatchObject({ ok: false, reason: "a value of type Date (not JSON)" });
    const fn = call([user("x")], { providerOptions: { openai: { f: (() => 1) as never } } });
    expect(fn).toMatchObject({ ok: false, reason: "a value of type function (not JSON)" });
    const bare = call([user("x")], { providerOptions: { openai: Object.create(null) } });
    expect(bare.ok).toBe(true);
  });
});
