import { collectStream, type ToolCall, type Usage } from "@llm/core";
import { type MockProvider, type MockReply, startMockProvider } from "@llm/testkit";
import { Mistral } from "@mistralai/mistralai";
import type { ContentChunk, UsageInfo } from "@mistralai/mistralai/models/components";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMistral } from "./index.js";

/**
 * Ours and the official `@mistralai/mistralai` SDK against the same testkit
 * server and the same scripted answers must read the same text, reasoning,
 * tool calls and usage, streamed and not.
 */
const KEY = "parity-key-0123456789";
const MODEL = "mistral-small-latest";
let mock: MockProvider;
let sdk: Mistral;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "mistral", apiKey: KEY });
  // The SDK's server URL is the origin: it adds `/v1/…` itself.
  sdk = new Mistral({ apiKey: KEY, serverURL: mock.origin, retryConfig: { strategy: "none" } });
});
afterAll(() => mock.close());

const ours = () => createMistral({ baseURL: mock.baseURL, apiKey: KEY, model: MODEL });

const weather = {
  name: "weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const question = "What is the weather in Paris? Use weather.";

interface Parsed {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  usage: Usage;
}

function sdkUsage(usage: UsageInfo | undefined): Usage {
  const details = usage?.prompt_tokens_details as { cached_tokens?: number } | undefined;
  const out: Usage = {
    inputTokens: usage?.promptTokens ?? 0,
    outputTokens: usage?.completionTokens ?? 0,
    totalTokens: usage?.totalTokens ?? 0,
  };
  if (details?.cached_tokens !== undefined) out.cachedInputTokens = details.cached_tokens;
  return out;
}

/** The SDK's content: a string, or chunks (text, and thinking holding text chunks). */
function sdkContent(content: string | ContentChunk[] | null | undefined): {
  text: string;
  reasoning: string;
} {
  if (typeof content === "string") return { text: content, reasoning: "" };
  let text = "";
  let reasoning = "";
  for (const chunk of content ?? []) {
    if (chunk.type === "text") text += chunk.text;
    else if (chunk.type === "thinking") {
      for (const inner of chunk.thinking) if (inner.type === "text") reasoning += inner.text;
    }
  }
  return { text, reasoning };
}

function sdkArguments(args: string | Record<string, unknown>): unknown {
  return typeof args === "string" ? JSON.parse(args) : args;
}

async function sdkGenerate(withTools: boolean): Promise<Parsed> {
  const completion = await sdk.chat.complete({
    model: MODEL,
    messages: [{ role: "user", content: question }],
    ...(withTools ? { tools: [{ type: "function" as const, function: weather }] } : {}),
  });
  const message = completion.choices[0]?.message;
  return {
    ...sdkContent(message?.content),
    toolCalls: (message?.toolCalls ?? []).map((call) => ({
      id: call.id ?? "",
      name: call.function.name,
      input: sdkArguments(call.function.arguments) as ToolCall["input"],
    })),
    usage: sdkUsage(completion.usage),
  };
}

async function sdkStream(withTools: boolean): Promise<Parsed> {
  const stream = await sdk.chat.stream({
    model: MODEL,
    messages: [{ role: "user", content: question }],
    ...(withTools ? { tools: [{ type: "function" as const, function: weather }] } : {}),
  });
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  for await (const event of stream) {
    const chunk = event.data;
    if (chunk.usage) usage = sdkUsage(chunk.usage);
    const delta = chunk.choices[0]?.delta;
    const content = sdkContent(delta?.content);
    text += content.text;
    reasoning += content.reasoning;
    for (const call of delta?.toolCalls ?? []) {
      toolCalls.push({
        id: call.id ?? "",
        name: call.function.name,
        input: sdkArguments(call.function.arguments) as ToolCall["input"],
      });
    }
  }
  return { text, reasoning, toolCalls, usage };
}

async function oursGenerate(withTools: boolean): Promise<Parsed> {
  const r = await ours().generate({
    messages: [{ role: "user", content: question }],
    ...(withTools ? { tools: [weather] } : {}),
  });
  return { text: r.text, reasoning: r.reasoning ?? "", toolCalls: r.toolCalls, usage: r.usage };
}

async function oursStream(withTools: boolean): Promise<Parsed> {
  const r = await collectStream(
    ours().stream({
      messages: [{ role: "user", content: question }],
      ...(withTools ? { tools: [weather] } : {}),
    }),
  );
  return { text: r.text, reasoning: r.reasoning ?? "", toolCalls: r.toolCalls, usage: r.usage };
}

const replies: Array<[string, MockReply, boolean]> = [
  [
    "text",
    { text: "It is sunny and 24 degrees in Paris today.", usage: { input: 21, output: 11 } },
    false,
  ],
  [
    "text with cached prompt tokens",
    { text: "Still sunny in Paris.", usage: { input: 30, output: 5, cached: 16 } },
    false,
  ],
  [
    "two tool calls",
    {
      toolCalls: [
        { id: "aB3dE5gH7", name: "weather", arguments: { city: "Paris" } },
        { id: "Zy9Xw8Vu7", name: "weather", arguments: { city: "Lyon", unit: "celsius" } },
      ],
      usage: { input: 40, output: 30 },
    },
    true,
  ],
  [
    "text and a tool call",
    {
      text: "Checking.",
      toolCalls: [{ id: "Q1w2E3r4T", name: "weather", arguments: { city: "Nice" } }],
    },
    true,
  ],
  [
    "reasoning then text",
    {
      reasoning: "The user wants the weather; I know it is sunny.",
      text: "Sunny.",
      usage: { input: 12, output: 20 },
    },
    false,
  ],
];

describe("parity with the official @mistralai/mistralai SDK", () => {
  it.each(replies)("generate parses the same %s", async (_name, reply, withTools) => {
    mock.enqueue(reply, reply);
    const theirs = await sdkGenerate(withTools);
    const mine = await oursGenerate(withTools);
    expect(mine).toEqual(theirs);
    expect(mine.text.length + mine.toolCalls.length).toBeGreaterThan(0);
  });

  it.each(replies)("stream parses the same %s", async (_name, reply, withTools) => {
    mock.enqueue(reply, reply);
    const theirs = await sdkStream(withTools);
    const mine = await oursStream(withTools);
    expect(mine).toEqual(theirs);
    expect(mine.usage.totalTokens).toBeGreaterThan(0);
  });

  it("sends a body the API accepts for the same request (the mock rejects unknown fields)", async () => {
    mock.enqueue({ text: "a" }, { text: "b" });
    await sdk.chat.complete({
      model: MODEL,
      messages: [{ role: "user", content: question }],
      randomSeed: 7,
      toolChoice: "any",
      safePrompt: true,
      tools: [{ type: "function", function: weather }],
    });
    const theirs = mock.requests.at(-1)?.body as Record<string, unknown>;
    await createMistral({
      baseURL: mock.baseURL,
      apiKey: KEY,
      model: MODEL,
      safePrompt: true,
    }).generate({
      messages: [{ role: "user", content: question }],
      seed: 7,
      toolChoice: "required",
      tools: [weather],
    });
    const mine = mock.requests.at(-1)?.body as Record<string, unknown>;
    // The SDK always sends `stream: false`; we leave the default out.
    expect({ ...mine, stream: false }).toEqual(theirs);
  });

  it("parses the default responder's deterministic answer the same", async () => {
    const withoutIds = ({ toolCalls, ...rest }: Parsed) => ({
      ...rest,
      toolCalls: toolCalls.map(({ name, input }) => ({ name, input })),
    });
    const theirs = await sdkGenerate(true);
    const mine = await oursGenerate(true);
    expect(withoutIds(mine)).toEqual(withoutIds(theirs));
    expect(mine.toolCalls[0]?.name).toBe("weather");
  });
});
