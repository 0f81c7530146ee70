import { collectStream, ProviderError } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBedrock } from "./bedrock-provider.js";

// What is specific to Bedrock's wire format: the exact body sent, the tool round trip, the
// in-stream error object. Everything every provider must do is in bedrock-conformance.test.ts.
// The scaffold speaks the OpenAI-compatible format, so it is tested against testkit's openai
// server; when Bedrock's own format differs, add it to @llm/testkit and switch `provider` below.
let mock: MockProvider;
let client: ReturnType<typeof createBedrock>;
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
  client = createBedrock({
    baseURL: mock.baseURL,
    apiKey: "test-key-bedrock",
    model: "bedrock-small",
  });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

describe("BedrockChatClient", () => {
  it("posts the model, messages and the bearer key to /chat/completions", async () => {
    mock.enqueue({ text: "Hi" });
    await client.generate({
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } },
          ],
        },
        { role: "assistant", content: "Ok" },
      ],
      temperature: 0.2,
      maxTokens: 50,
      providerOptions: { [client.provider]: { user: "u-1" } },
    });
    const request = mock.requests.at(-1);
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer test-key-bedrock");
    expect(request?.body).toEqual({
      model: "bedrock-small",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR" } },
          ],
        },
        { role: "assistant", content: "Ok" },
      ],
      temperature: 0.2,
      max_tokens: 50,
      user: "u-1",
    });
  });

  it("sends tools and results, and returns tool calls, streamed and not", async () => {
    const tools = [
      {
        name: "weather",
        description: "Weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
      },
    ];
    const reply = { toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] };
    mock.enqueue(reply, reply);
    const generated = await client.generate({
      messages: [
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: [
            { type: "tool-call", toolCallId: "c0", toolName: "weather", input: { city: "Rome" } },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "c0", toolName: "weather", output: { c: 20 } },
          ],
        },
      ],
      tools,
    });
    const sent = mock.requests.at(-1)?.body as { messages: unknown[] } | undefined;
    expect(sent?.messages.slice(1)).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "c0",
            type: "function",
            function: { name: "weather", arguments: '{"city":"Rome"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "c0", content: '{"c":20}' },
    ]);
    expect(generated.finishReason).toBe("tool-calls");
    expect(generated.toolCalls.map((c) => c.input)).toEqual([{ city: "Paris" }]);
    const streamed = await collectStream(client.stream({ ...hello, tools }));
    expect(streamed.finishReason).toBe("tool-calls");
    expect(streamed.toolCalls.map((c) => ({ name: c.name, input: c.input }))).toEqual([
      { name: "weather", input: { city: "Paris" } },
    ]);
  });

  it("sends a JSON schema as a strict json_schema response format", async () => {
    const schema = { type: "object", properties: { name: { type: "string" } }, required: ["name"] };
    await client.generate({
      ...hello,
      responseFormat: { type: "json_schema", name: "person", schema },
    });
    const sent = mock.requests.at(-1)?.body as { response_format?: unknown } | undefined;
    expect(sent?.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "person", schema, strict: true },
    });
  });

  it("throws the mapped error for an error in the middle of a stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 1 });
    await expect(
      collectStream(client.stream({ messages: [{ role: "user", content: "a b c" }] })),
    ).rejects.toBeInstanceOf(ProviderError);
  });
});
