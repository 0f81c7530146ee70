import { collectStream, type ToolCall, type Usage } from "@llm/core";
import { type MockProvider, type MockReply, startMockProvider } from "@llm/testkit";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenAI } from "./index.js";

/**
 * Ours and the official `openai` SDK against the same testkit server and the
 * same scripted answers must read the same text, tool calls and usage.
 */
let mock: MockProvider;
let sdk: OpenAI;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
  sdk = new OpenAI({ apiKey: "sk-parity-0123456789", baseURL: mock.baseURL, maxRetries: 0 });
});
afterAll(() => mock.close());

const ours = () =>
  createOpenAI({ baseURL: mock.baseURL, apiKey: "sk-parity-0123456789", model: "gpt-4o-mini" });

const weather = {
  name: "weather",
  description: "Weather for a city",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
};
const question = "What is the weather in Paris? Use weather.";

interface Parsed {
  text: string;
  toolCalls: Array<Omit<ToolCall, "id"> & { id: string }>;
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

async function sdkGenerate(withTools: boolean): Promise<Parsed> {
  const completion = await sdk.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: question }],
    ...(withTools ? { tools: [{ type: "function" as const, function: weather }] } : {}),
  });
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

async function sdkStream(withTools: boolean): Promise<Parsed> {
  const stream = await sdk.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: question }],
    stream: true,
    stream_options: { include_usage: true },
    ...(withTools ? { tools: [{ type: "function" as const, function: weather }] } : {}),
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

async function oursGenerate(withTools: boolean): Promise<Parsed> {
  const r = await ours().generate({
    messages: [{ role: "user", content: question }],
    ...(withTools ? { tools: [weather] } : {}),
  });
  return { text: r.text, toolCalls: r.toolCalls, usage: r.usage };
}

async function oursStream(withTools: boolean): Promise<Parsed> {
  const r = await collectStream(
    ours().stream({
      messages: [{ role: "user", content: question }],
      ...(withTools ? { tools: [weather] } : {}),
    }),
  );
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

describe("parity with the official openai SDK", () => {
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

  it("parses the recorded fixture the same, streamed and not", async () => {
    mock.enqueue({ fixture: "openai/openai-text" }, { fixture: "openai/openai-text" });
    expect(await oursGenerate(false)).toEqual(await sdkGenerate(false));
    mock.enqueue({ fixture: "openai/openai-text" }, { fixture: "openai/openai-text" });
    expect(await oursStream(false)).toEqual(await sdkStream(false));
  });

  it("parses the default responder's deterministic answer the same", async () => {
    // No script: the mock answers from the request content, identical for both clients.
    const withoutIds = ({ toolCalls, ...rest }: Parsed) => ({
      ...rest,
      toolCalls: toolCalls.map(({ name, input }) => ({ name, input })),
    });
    const theirs = await sdkGenerate(true);
    const mine = await oursGenerate(true);
    // Tool call ids are drawn per request; everything else comes from the request content.
    expect(withoutIds(mine)).toEqual(withoutIds(theirs));
    expect(mine.toolCalls[0]?.name).toBe("weather");
  });
});
