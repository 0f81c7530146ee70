import { collectStream, type ToolCall, type Usage } from "@llm/core";
import { type MockProvider, type MockReply, startMockProvider } from "@llm/testkit";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAzureOpenAI, createAzureOpenAIEmbeddings } from "./index.js";

/**
 * Ours and the official SDK's `AzureOpenAI` client against the same testkit
 * server and the same scripted answers: the same requests on the wire (path,
 * api-version, api-key, body) and the same text, tool calls, usage, stream
 * text and embeddings read back. The v1 surface is compared with the SDK's
 * plain `OpenAI` client on `…/openai/v1`, which is how the SDK reaches it.
 */
const KEY = "azure-parity-key-0123456789";
const VERSION = "2024-10-21";
const DEPLOYMENT = "gpt-4o-prod";
let mock: MockProvider;
let sdk: AzureOpenAI;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "azure-openai", apiKey: KEY });
  sdk = new AzureOpenAI({
    apiKey: KEY,
    baseURL: mock.baseURL,
    apiVersion: VERSION,
    deployment: DEPLOYMENT,
    maxRetries: 0,
  });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const ours = () =>
  createAzureOpenAI({
    baseURL: mock.baseURL,
    apiKey: KEY,
    apiVersion: VERSION,
    deployment: DEPLOYMENT,
    model: "gpt-4o",
  });

const weather = {
  name: "weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const question = "What is the weather in Paris? Use weather.";

interface Parsed {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
}

function sdkUsage(usage: OpenAI.CompletionUsage | null | undefined): Usage {
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    totalTokens: usage?.total_tokens ?? 0,
    cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

const sdkBody = (withTools: boolean) => ({
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: question }],
  ...(withTools ? { tools: [{ type: "function" as const, function: weather }] } : {}),
});

async function sdkGenerate(client: OpenAI, withTools: boolean): Promise<Parsed> {
  const completion = await client.chat.completions.create(sdkBody(withTools));
  const message = completion.choices[0]?.message;
  return {
    text: message?.content ?? "",
    toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
      call.type === "function"
        ? [{ id: call.id, name: call.function.name, input: JSON.parse(call.function.arguments) }]
        : [],
    ),
    usage: sdkUsage(completion.usage),
  };
}

async function sdkStream(client: OpenAI, withTools: boolean): Promise<Parsed> {
  const stream = await client.chat.completions.create({
    ...sdkBody(withTools),
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  const calls: Array<{ id: string; name: string; args: string }> = [];
  let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  for await (const chunk of stream) {
    if (chunk.usage) usage = sdkUsage(chunk.usage);
    const delta = chunk.choices[0]?.delta;
    text += delta?.content ?? "";
    for (const call of delta?.tool_calls ?? []) {
      const entry = calls[call.index] ?? { id: "", name: "", args: "" };
      calls[call.index] = entry;
      if (call.id) entry.id = call.id;
      if (call.function?.name) entry.name = call.function.name;
      entry.args += call.function?.arguments ?? "";
    }
  }
  return {
    text,
    toolCalls: calls.map((c) => ({ id: c.id, name: c.name, input: JSON.parse(c.args) })),
    usage,
  };
}

const request = (withTools: boolean) => ({
  messages: [{ role: "user" as const, content: question }],
  ...(withTools ? { tools: [weather] } : {}),
});

async function oursGenerate(client = ours(), withTools = false): Promise<Parsed> {
  const r = await client.generate(request(withTools));
  return { text: r.text, toolCalls: r.toolCalls, usage: r.usage };
}

async function oursStream(client = ours(), withTools = false): Promise<Parsed> {
  const r = await collectStream(client.stream(request(withTools)));
  return { text: r.text, toolCalls: r.toolCalls, usage: r.usage };
}

const replies: Array<[string, MockReply, boolean]> = [
  [
    "text",
    {
      text: "It is sunny and 24 degrees in Paris today.",
      usage: { input: 21, output: 11, cached: 8 },
    },
    false,
  ],
  [
    "tool calls",
    {
      toolCalls: [
        { id: "call_one", name: "weather", arguments: { city: "Paris" } },
        { id: "call_two", name: "weather", arguments: { city: "Lyon", unit: "celsius" } },
      ],
      usage: { input: 40, output: 30, reasoning: 12 },
    },
    true,
  ],
  [
    "text and a tool call",
    {
      text: "Checking.",
      toolCalls: [{ id: "call_x", name: "weather", arguments: { city: "Nice" } }],
    },
    true,
  ],
];

describe("parity with the official AzureOpenAI client (deployment routes)", () => {
  it.each(replies)("generate parses the same %s", async (_name, reply, withTools) => {
    mock.enqueue(reply, reply);
    const theirs = await sdkGenerate(sdk, withTools);
    const mine = await oursGenerate(ours(), withTools);
    expect(mine).toEqual(theirs);
    expect(mine.text.length + mine.toolCalls.length).toBeGreaterThan(0);
  });

  it.each(replies)("stream parses the same %s", async (_name, reply, withTools) => {
    mock.enqueue(reply, reply);
    const theirs = await sdkStream(sdk, withTools);
    const mine = await oursStream(ours(), withTools);
    expect(mine).toEqual(theirs);
    expect(mine.usage.totalTokens).toBeGreaterThan(0);
  });

  it("sends what the SDK sends: path, api-version, api-key and body", async () => {
    await sdk.chat.completions.create(sdkBody(true));
    await ours().generate(request(true));
    const [theirs, mine] = mock.requests;
    expect(mine?.path).toBe(`/openai/deployments/${DEPLOYMENT}/chat/completions`);
    expect(mine?.path).toBe(theirs?.path);
    expect(mine?.query).toEqual(theirs?.query);
    expect(mine?.headers["api-key"]).toBe(theirs?.headers["api-key"]);
    expect(mine?.body).toEqual(theirs?.body);
  });

  it("sends the Entra ID token as the SDK's azureADTokenProvider does", async () => {
    const tokenProvider = async () => KEY;
    const entra = new AzureOpenAI({
      azureADTokenProvider: tokenProvider,
      baseURL: mock.baseURL,
      apiVersion: VERSION,
      deployment: DEPLOYMENT,
      maxRetries: 0,
    });
    mock.enqueue({ text: "same" }, { text: "same" });
    const theirs = await sdkGenerate(entra, false);
    const client = createAzureOpenAI({
      baseURL: mock.baseURL,
      azureADTokenProvider: tokenProvider,
      apiVersion: VERSION,
      deployment: DEPLOYMENT,
      model: "gpt-4o",
      env: {},
    });
    expect(await oursGenerate(client)).toEqual(theirs);
    const [sdkRequest, ourRequest] = mock.requests;
    expect(ourRequest?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(ourRequest?.headers.authorization).toBe(sdkRequest?.headers.authorization);
    expect(ourRequest?.headers["api-key"]).toBeUndefined();
  });

  it("embeds the same vectors, usage and model from an embedding deployment", async () => {
    const embeddingSDK = new AzureOpenAI({
      apiKey: KEY,
      baseURL: mock.baseURL,
      apiVersion: VERSION,
      deployment: "text-embedding-3-small",
      maxRetries: 0,
    });
    const inputs = ["the same text", "and another"];
    const theirs = await embeddingSDK.embeddings.create({
      model: "text-embedding-3-small",
      input: inputs,
      dimensions: 32,
    });
    const mine = await createAzureOpenAIEmbeddings({
      baseURL: mock.baseURL,
      apiKey: KEY,
      apiVersion: VERSION,
      deployment: "text-embedding-3-small",
    }).embedBatch({ inputs, dimensions: 32 });
    const [sdkRequest, ourRequest] = mock.requests;
    expect(ourRequest?.path).toBe("/openai/deployments/text-embedding-3-small/embeddings");
    expect(ourRequest?.path).toBe(sdkRequest?.path);
    expect(ourRequest?.body).toEqual(sdkRequest?.body);
    expect(mine.embeddings.map((v) => Array.from(v))).toEqual(theirs.data.map((d) => d.embedding));
    expect(mine.usage.inputTokens).toBe(theirs.usage.prompt_tokens);
    expect(mine.model).toBe(theirs.model);
  });
});

describe("parity with the official SDK on the v1 surface", () => {
  const v1SDK = () => new OpenAI({ apiKey: KEY, baseURL: `${mock.baseURL}/v1`, maxRetries: 0 });
  const v1Ours = () =>
    createAzureOpenAI({ baseURL: `${mock.baseURL}/v1`, apiKey: KEY, model: "gpt-4o", env: {} });

  it.each(replies)("generate and stream parse the same %s", async (_name, reply, withTools) => {
    mock.enqueue(reply, reply, reply, reply);
    expect(await oursGenerate(v1Ours(), withTools)).toEqual(await sdkGenerate(v1SDK(), withTools));
    expect(await oursStream(v1Ours(), withTools)).toEqual(await sdkStream(v1SDK(), withTools));
  });

  it("sends model in the body to /openai/v1/chat/completions, without api-version", async () => {
    await v1SDK().chat.completions.create(sdkBody(false));
    await v1Ours().generate(request(false));
    const [theirs, mine] = mock.requests;
    expect(mine?.path).toBe("/openai/v1/chat/completions");
    expect(mine?.path).toBe(theirs?.path);
    expect(mine?.query).toEqual({});
    expect(mine?.body).toEqual(theirs?.body);
    expect(mine?.model).toBe("gpt-4o");
  });
});
