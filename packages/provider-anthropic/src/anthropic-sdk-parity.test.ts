import Anthropic from "@anthropic-ai/sdk";
import { collectStream, type ToolCall, type Usage } from "@llm/core";
import { type MockProvider, type MockReply, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropic } from "./index.js";

/**
 * Ours and the official `@anthropic-ai/sdk` against the same testkit server
 * and the same scripted answers must read the same text, tool calls and usage.
 */
let mock: MockProvider;
let sdk: Anthropic;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "anthropic" });
  sdk = new Anthropic({ apiKey: "sk-ant-parity-0123456789", baseURL: mock.baseURL, maxRetries: 0 });
});
afterAll(() => mock.close());

const ours = () =>
  createAnthropic({
    baseURL: mock.baseURL,
    apiKey: "sk-ant-parity-0123456789",
    model: "claude-parity-model",
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

/** The official SDK's raw usage, folded the way our `Usage` defines it. */
function sdkUsage(usage: {
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}): Usage {
  const input =
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0);
  const output = usage.output_tokens ?? 0;
  const out: Usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  if (typeof usage.cache_read_input_tokens === "number")
    out.cachedInputTokens = usage.cache_read_input_tokens;
  return out;
}

function sdkParams(withTools: boolean) {
  return {
    model: "claude-parity-model",
    max_tokens: 4096,
    messages: [{ role: "user" as const, content: question }],
    ...(withTools
      ? {
          tools: [
            {
              name: weather.name,
              description: weather.description,
              input_schema: weather.parameters as Anthropic.Tool.InputSchema,
            },
          ],
        }
      : {}),
  };
}

function fromMessage(message: Anthropic.Message): Parsed {
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (block.type === "text") text += block.text;
    if (block.type === "tool_use")
      toolCalls.push({ id: block.id, name: block.name, input: block.input as ToolCall["input"] });
  }
  return { text, toolCalls, usage: sdkUsage(message.usage) };
}

async function sdkGenerate(withTools: boolean): Promise<Parsed> {
  return fromMessage(await sdk.messages.create(sdkParams(withTools)));
}

async function sdkStream(withTools: boolean): Promise<Parsed> {
  // The SDK's own accumulator (MessageStream) builds the final message from the events.
  const stream = sdk.messages.stream(sdkParams(withTools));
  return fromMessage(await stream.finalMessage());
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
        { id: "toolu_one", name: "weather", arguments: { city: "Paris" } },
        { id: "toolu_two", name: "weather", arguments: { city: "Lyon", unit: "celsius" } },
      ],
      usage: { input: 40, output: 30 },
    },
    true,
  ],
  [
    "reasoning, text and a tool call",
    {
      reasoning: "Need a tool.",
      text: "Checking.",
      toolCalls: [{ id: "toolu_x", name: "weather", arguments: { city: "Nice" } }],
    },
    true,
  ],
];

describe("parity with the official @anthropic-ai/sdk", () => {
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

  it.each([
    "anthropic-text",
    "anthropic-tool-no-args",
    "anthropic-refusal",
    "anthropic-message-delta-input-tokens",
  ])("parses the recorded fixture %s the same, streamed and not", async (fixture) => {
    const name = `anthropic/${fixture}`;
    if (fixture !== "anthropic-message-delta-input-tokens") {
      mock.enqueue({ fixture: name }, { fixture: name });
      expect(await oursGenerate(true)).toEqual(await sdkGenerate(true));
    }
    mock.enqueue({ fixture: name }, { fixture: name });
    expect(await oursStream(true)).toEqual(await sdkStream(true));
  });
});
