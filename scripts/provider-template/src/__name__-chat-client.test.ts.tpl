import { AbortError, collectStream, defaultTransport, ProviderError, RateLimitError, type StreamEvent, type Transport } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { create__Name__ } from "./__name__-provider.js";

// The scaffold speaks the OpenAI-compatible format, so it is tested against testkit's
// openai server. When __Name__'s own wire format differs, add it to @llm/testkit
// (packages/testkit/src/providers/) and switch `provider` below.
let mock: MockProvider;
let client: ReturnType<typeof create__Name__>;
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
  client = create__Name__({ baseURL: mock.baseURL, apiKey: "test-key-__name__", model: "__name__-small" });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

describe("__Name__ChatClient", () => {
  it("posts the model, messages and the bearer key to /chat/completions", async () => {
    mock.enqueue({ text: "Hi" });
    await client.generate({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Look" }, { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBOR" } }] },
        { role: "assistant", content: "Ok" },
      ],
      temperature: 0.2,
      maxTokens: 50,
      providerOptions: { [client.provider]: { user: "u-1" } },
    });
    const request = mock.requests.at(-1);
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe("Bearer test-key-__name__");
    expect(request?.body).toEqual({
      model: "__name__-small",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Look" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBOR" } }] },
        { role: "assistant", content: "Ok" },
      ],
      temperature: 0.2,
      max_tokens: 50,
      user: "u-1",
    });
  });

  it("returns text, finish reason and usage from generate", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 5, output: 2 } });
    const response = await client.generate(hello);
    expect(response).toMatchObject({
      provider: "__name__",
      text: "Hello there",
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
    });
  });

  it("sends tools and results, and returns tool calls, streamed and not", async () => {
    const tools = [{ name: "weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } }];
    const reply = { toolCalls: [{ name: "weather", arguments: { city: "Paris" } }] };
    mock.enqueue(reply, reply);
    const generated = await client.generate({
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "c0", toolName: "weather", input: { city: "Rome" } }] },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "c0", toolName: "weather", output: { c: 20 } }] },
      ],
      tools,
    });
    const sent = mock.requests.at(-1)?.body as { messages: unknown[] } | undefined;
    expect(sent?.messages.slice(1)).toEqual([
      { role: "assistant", content: null, tool_calls: [{ id: "c0", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } }] },
      { role: "tool", tool_call_id: "c0", content: '{"c":20}' },
    ]);
    expect(generated.finishReason).toBe("tool-calls");
    expect(generated.toolCalls.map((c) => c.input)).toEqual([{ city: "Paris" }]);
    const streamed = await collectStream(client.stream({ ...hello, tools }));
    expect(streamed.finishReason).toBe("tool-calls");
    expect(streamed.toolCalls.map((c) => ({ name: c.name, input: c.input }))).toEqual([{ name: "weather", input: { city: "Paris" } }]);
  });

  it("streams start, text deltas, usage and finish", async () => {
    mock.enqueue({ text: "one two three", usage: { input: 3, output: 3 } });
    const events: StreamEvent[] = [];
    for await (const event of client.stream(hello)) events.push(event);
    expect(events[0]?.type).toBe("start");
    expect(events.filter((e) => e.type === "text-delta").map((e) => (e.type === "text-delta" ? e.delta : "")).join("")).toBe("one two three");
    expect(events.at(-1)).toMatchObject({
      type: "finish",
      finishReason: "stop",
      rawFinishReason: "stop",
      usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 },
    });
  });

  it("maps a 429 to RateLimitError with the retry-after hint", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 2 });
    const error = await client.generate(hello).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 2000 });
  });

  it("throws the mapped error for an error in the middle of a stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 1 });
    await expect(collectStream(client.stream({ messages: [{ role: "user", content: "a b c" }] }))).rejects.toBeInstanceOf(ProviderError);
  });

  it("aborts the HTTP request when the consumer breaks out of the loop", async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const inner = defaultTransport();
    const recording: Transport = {
      request: (request) => {
        signals.push(request.signal);
        return inner.request(request);
      },
    };
    const local = create__Name__({ baseURL: mock.baseURL, apiKey: "k", model: "m", transport: recording });
    mock.setLatency({ chunkMs: 20 });
    try {
      mock.enqueue({ text: "one two three four five six" });
      for await (const event of local.stream(hello)) {
        if (event.type === "text-delta") break;
      }
      expect(signals[0]?.aborted).toBe(true);
    } finally {
      mock.setLatency(undefined);
    }
  });

  it("throws AbortError for an aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(client.generate(hello, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });
});
