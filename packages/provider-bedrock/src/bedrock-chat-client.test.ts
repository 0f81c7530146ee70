import { Sha256 } from "@aws-crypto/sha256-js";
import { type ChatRequest, ConfigError, collectStream, InvalidRequestError } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BedrockProviderSettings, createBedrock } from "./bedrock-provider.js";

const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const KEYS = { accessKeyId: "AKIDCLIENTTEST", secretAccessKey: "client-secret-9876543210" };
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "bedrock", apiKey: KEYS.accessKeyId });
});
beforeEach(() => mock.reset());
afterAll(() => mock.close());

const client = (settings: BedrockProviderSettings = {}) =>
  createBedrock({
    region: "eu-west-3",
    baseURL: mock.baseURL,
    model: MODEL,
    env: {},
    ...KEYS,
    ...settings,
  });
const hello: ChatRequest = { messages: [{ role: "user", content: "Hello" }] };
const last = () => mock.requests.at(-1);

const weather = {
  name: "weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};

describe("request mapping", () => {
  it("posts to /model/{modelId}/converse with the model id URL-encoded, ARNs included", async () => {
    const arn =
      "arn:aws:bedrock:eu-west-3:123456789012:inference-profile/eu.anthropic.claude-3-5-haiku-20241022-v1:0";
    await client().generate({ ...hello, model: arn });
    expect(last()?.path).toBe(`/model/${encodeURIComponent(arn)}/converse`);
    expect(last()?.model).toBe(arn);
    await collectStream(client().stream(hello));
    expect(last()?.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse-stream`);
    expect(last()?.headers.accept).toBe("application/vnd.amazon.eventstream");
  });

  it("hoists system messages, merges a tool result with the next question, and maps every block", async () => {
    await client().generate({
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Look" },
            { type: "image", source: { type: "base64", mediaType: "image/png", data: "iVBORw0K" } },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "reasoning", text: "think", signature: "sig-1" },
            { type: "reasoning", text: "unsigned, dropped" },
            { type: "text", text: "" },
            {
              type: "tool-call",
              toolCallId: "tooluse_1",
              toolName: "weather",
              input: { city: "Paris" },
            },
          ],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "tooluse_1",
              toolName: "weather",
              output: { temp: 24 },
            },
            {
              type: "tool-result",
              toolCallId: "tooluse_2",
              toolName: "weather",
              output: "oops",
              isError: true,
            },
          ],
        },
        { role: "user", content: "And tomorrow?" },
        { role: "system", content: "In French." },
      ],
    });
    expect(last()?.body).toEqual({
      system: [{ text: "Be brief." }, { text: "In French." }],
      messages: [
        {
          role: "user",
          content: [{ text: "Look" }, { image: { format: "png", source: { bytes: "iVBORw0K" } } }],
        },
        {
          role: "assistant",
          content: [
            { reasoningContent: { reasoningText: { text: "think", signature: "sig-1" } } },
            { toolUse: { toolUseId: "tooluse_1", name: "weather", input: { city: "Paris" } } },
          ],
        },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "tooluse_1", content: [{ json: { temp: 24 } }] } },
            {
              toolResult: { toolUseId: "tooluse_2", content: [{ text: "oops" }], status: "error" },
            },
            { text: "And tomorrow?" },
          ],
        },
      ],
    });
  });

  it("sends sampling fields as inferenceConfig and settings.defaults under them", async () => {
    await client({ defaults: { temperature: 0.2, maxTokens: 50 } }).generate({
      ...hello,
      topP: 0.9,
      maxTokens: 100,
      stop: ["END"],
    });
    expect(last()?.body).toMatchObject({
      inferenceConfig: { maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ["END"] },
    });
  });

  it("warns about the settings Converse has no field for, and leaves them out", async () => {
    const response = await client().generate({ ...hello, topK: 5, seed: 1 });
    expect(response.warnings?.map((w) => w.type === "unsupported-setting" && w.setting)).toEqual([
      "topK",
      "seed",
    ]);
    expect(last()?.body).toEqual({ messages: [{ role: "user", content: [{ text: "Hello" }] }] });
    const events = await collectStream(client().stream({ ...hello, topK: 5 }));
    expect(events.warnings?.length).toBe(1);
  });

  it.each([
    ["auto", { auto: {} }],
    ["required", { any: {} }],
    [{ type: "tool", name: "weather" }, { tool: { name: "weather" } }],
  ] as const)("maps tool choice %j to %j", async (choice, wire) => {
    await client().generate({ ...hello, tools: [weather], toolChoice: choice });
    expect(last()?.body).toMatchObject({
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: "weather",
              description: "Weather for a city",
              inputSchema: { json: weather.parameters },
            },
          },
        ],
        toolChoice: wire,
      },
    });
  });

  it("sends no tools when the tool choice is none (Converse has no such choice)", async () => {
    await client().generate({ ...hello, tools: [weather], toolChoice: "none" });
    expect(last()?.body).not.toHaveProperty("toolConfig");
  });

  it("forces the json tool for a JSON schema, and reads its input back as the text", async () => {
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] };
    const response = await client().generate({
      ...hello,
      responseFormat: { type: "json_schema", name: "verdict", schema },
    });
    expect(last()?.body).toMatchObject({
      toolConfig: {
        tools: [{ toolSpec: { name: "json", inputSchema: { json: schema } } }],
        toolChoice: { tool: { name: "json" } },
      },
    });
    expect(JSON.parse(response.text)).toHaveProperty("ok");
    expect(response.finishReason).toBe("stop");
    expect(response.toolCalls).toEqual([]);
  });

  it("asks for any tool when JSON output comes with real tools", async () => {
    await client().generate({ ...hello, tools: [weather], responseFormat: { type: "json" } });
    expect(last()?.body).toMatchObject({
      toolConfig: {
        tools: [{ toolSpec: { name: "weather" } }, { toolSpec: { name: "json" } }],
        toolChoice: { any: {} },
      },
    });
  });

  it("merges providerOptions.bedrock into the body last", async () => {
    await client().generate({
      ...hello,
      providerOptions: {
        bedrock: {
          additionalModelRequestFields: { top_k: 40 },
          guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "1" },
        },
      },
    });
    expect(last()?.body).toMatchObject({
      additionalModelRequestFields: { top_k: 40 },
      guardrailConfig: { guardrailIdentifier: "g1", guardrailVersion: "1" },
    });
  });

  it("rejects a URL image and an unknown image type, naming the message", async () => {
    const url: ChatRequest = {
      messages: [
        {
          role: "user",
          content: [{ type: "image", source: { type: "url", url: "https://x/y.png" } }],
        },
      ],
    };
    await expect(client().generate(url)).rejects.toThrow(InvalidRequestError);
    await expect(client().generate(url)).rejects.toThrow("messages[0]");
    const tiff: ChatRequest = {
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", mediaType: "image/tiff", data: "AA" } },
          ],
        },
      ],
    };
    await expect(client().generate(tiff)).rejects.toThrow("not image/tiff");
  });

  it("rejects a request without a model, naming the setting", async () => {
    await expect(client({ model: undefined }).generate(hello)).rejects.toThrow(ConfigError);
  });
});

describe("SigV4", () => {
  it("signs what reaches the wire: re-signing the received request gives the same signature", async () => {
    await client().generate({ ...hello, temperature: 0.5 });
    const received = last();
    const amzDate = received?.headers["x-amz-date"] ?? "";
    const signer = new SignatureV4({
      service: "bedrock",
      region: "eu-west-3",
      credentials: KEYS,
      sha256: Sha256,
    });
    const url = new URL(mock.baseURL);
    const signedNames =
      /SignedHeaders=([^,]+)/.exec(received?.headers.authorization ?? "")?.[1]?.split(";") ?? [];
    const headers: Record<string, string> = {};
    for (const name of signedNames) headers[name] = received?.headers[name] ?? "";
    const date = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const expected = await signer.sign(
      {
        method: "POST",
        protocol: "http:",
        hostname: url.hostname,
        port: Number(url.port),
        path: received?.path ?? "",
        query: {},
        headers,
        body: JSON.stringify(received?.body),
      },
      { signingDate: date },
    );
    expect(signedNames).toEqual(expect.arrayContaining(["host", "x-amz-date", "content-type"]));
    expect(received?.headers.authorization).toBe(expected.headers.authorization);
  });

  it("sends the session token of temporary credentials as x-amz-security-token", async () => {
    await client({ sessionToken: "session-token-abc" }).generate(hello);
    expect(last()?.headers["x-amz-security-token"]).toBe("session-token-abc");
    expect(last()?.headers.authorization).toContain("x-amz-security-token");
  });

  it("asks a credentials provider function on every call, so refreshed keys are used", async () => {
    let calls = 0;
    const c = client({
      accessKeyId: undefined,
      secretAccessKey: undefined,
      credentials: async () => {
        calls++;
        return { accessKeyId: KEYS.accessKeyId, secretAccessKey: `rotated-${calls}` };
      },
    });
    await c.generate(hello);
    await collectStream(c.stream(hello));
    expect(calls).toBe(2);
  });

  it("is refused by the server with the wrong access key id (a typed 403)", async () => {
    const error = await client({ accessKeyId: "AKIDWRONG" })
      .generate(hello)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "AUTHENTICATION", status: 403 });
    expect(String(error)).toContain("UnrecognizedClientException");
    expect(String(error)).not.toContain(KEYS.secretAccessKey);
  });

  it("sends a Bedrock API key as a bearer token instead of signing", async () => {
    const bearer = await startMockProvider({ provider: "bedrock", apiKey: "bedrock-api-key-123" });
    try {
      const c = createBedrock({
        baseURL: bearer.baseURL,
        model: MODEL,
        env: { AWS_BEARER_TOKEN_BEDROCK: "bedrock-api-key-123" },
      });
      const response = await c.generate(hello);
      expect(response.text).not.toBe("");
      expect(bearer.requests[0]?.headers.authorization).toBe("Bearer bedrock-api-key-123");
      expect(bearer.requests[0]?.headers["x-amz-date"]).toBeUndefined();
    } finally {
      await bearer.close();
    }
  });
});

describe("responses", () => {
  it("reads reasoning, cached tokens and the request id, and streams the same answer", async () => {
    const reply = {
      text: "Answer.",
      reasoning: "Let me think.",
      usage: { input: 100, output: 10, cached: 60 },
    };
    mock.enqueue(reply, reply);
    const generated = await client().generate(hello);
    expect(generated).toMatchObject({
      text: "Answer.",
      reasoning: "Let me think.",
      usage: { inputTokens: 100, outputTokens: 10, totalTokens: 110, cachedInputTokens: 60 },
      finishReason: "stop",
      rawFinishReason: "end_turn",
      provider: "bedrock",
      model: MODEL,
    });
    expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.id).toBe(generated.requestId);
    expect(generated.content[0]).toMatchObject({ type: "reasoning", text: "Let me think." });
    expect((generated.content[0] as { signature?: string }).signature).toMatch(/mock$/);
    const streamed = await collectStream(client().stream(hello));
    // Ids and the signature are drawn per answer by the mock; everything else must match.
    const same = (r: typeof generated) => ({
      ...r,
      id: "",
      requestId: "",
      content: r.content.map((part) =>
        part.type === "reasoning" ? { ...part, signature: "" } : part,
      ),
    });
    expect(same(streamed)).toEqual(same(generated));
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["guardrail_intervened", "content-filter"],
    ["content_filtered", "content-filter"],
    ["some_new_reason", "other"],
  ])("maps stop reason %s to %s, generated and streamed", async (raw, mapped) => {
    mock.enqueue({ text: "x", finishReason: raw }, { text: "x", finishReason: raw });
    expect(await client().generate(hello)).toMatchObject({
      finishReason: mapped,
      rawFinishReason: raw,
    });
    expect(await collectStream(client().stream(hello))).toMatchObject({
      finishReason: mapped,
      rawFinishReason: raw,
    });
  });

  it("streams tool-call deltas that join to the arguments, then the parsed call", async () => {
    mock.enqueue({
      toolCalls: [{ id: "tooluse_abc", name: "weather", arguments: { city: "Paris", days: 3 } }],
    });
    const events = [];
    for await (const event of client().stream({ ...hello, tools: [weather] })) events.push(event);
    const deltas = events.flatMap((e) => (e.type === "tool-call-delta" ? [e.argsDelta] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(JSON.parse(deltas.join(""))).toEqual({ city: "Paris", days: 3 });
    expect(events.find((e) => e.type === "tool-call")).toEqual({
      type: "tool-call",
      index: 0,
      toolCall: { id: "tooluse_abc", name: "weather", input: { city: "Paris", days: 3 } },
    });
  });
});

describe("errors", () => {
  it("maps Bedrock's own error bodies with the type from x-amzn-errortype", async () => {
    mock.enqueue({ status: 400, body: { message: "Input is too long for requested model." } });
    await expect(client().generate(hello)).rejects.toMatchObject({ code: "CONTEXT_LENGTH" });
    mock.enqueue({ status: 403 });
    await expect(client().generate(hello)).rejects.toThrow(
      /AccessDeniedException: You don't have access/,
    );
    mock.enqueue({ status: 408 });
    await expect(client().generate(hello)).rejects.toMatchObject({ retryable: true, status: 408 });
  });

  it("names the request id from x-amzn-requestid in the error", async () => {
    mock.enqueue({ status: 503 });
    const error = await client()
      .generate(hello)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect((error as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("fails a stream cut before messageStop with a NetworkError", async () => {
    mock.enqueue({ fault: "reset", afterChunks: 2 });
    await expect(collectStream(client().stream(hello))).rejects.toMatchObject({ code: "NETWORK" });
  });
});

describe("endpoint", () => {
  it("keeps a query string of baseURL (a proxy's) as a query string after the model path", async () => {
    await client({ baseURL: `${mock.baseURL}/?tenant=t1` }).generate(hello);
    expect(last()?.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(last()?.query).toEqual({ tenant: "t1" });
  });
});
