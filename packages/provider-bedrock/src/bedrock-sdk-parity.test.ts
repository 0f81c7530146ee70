import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type TokenUsage,
} from "@aws-sdk/client-bedrock-runtime";
import { collectStream, type ToolCall, type Usage } from "@llm/core";
import { type MockProvider, type MockReply, startMockProvider } from "@llm/testkit";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBedrock } from "./index.js";

/**
 * Ours and the official `@aws-sdk/client-bedrock-runtime` against the same
 * testkit server (which checks each SigV4 signature's shape) and the same
 * scripted answers must read the same text, tool calls, usage and stream text.
 */
const MODEL = "us.anthropic.claude-3-5-haiku-20241022-v1:0";
const credentials = { accessKeyId: "AKIDPARITYTEST", secretAccessKey: "parity-secret-0123456789" };
let mock: MockProvider;
let sdk: BedrockRuntimeClient;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "bedrock", apiKey: credentials.accessKeyId });
  sdk = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: mock.baseURL,
    credentials,
    maxAttempts: 1,
    // The SDK's default handler speaks HTTP/2 (for bidirectional streams); testkit speaks HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
});
afterAll(async () => {
  sdk.destroy();
  await mock.close();
});

const ours = () =>
  createBedrock({
    region: "us-east-1",
    baseURL: mock.baseURL,
    ...credentials,
    env: {},
    model: MODEL,
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

/** The SDK's raw usage, folded the way our `Usage` defines it. */
function sdkUsage(usage: TokenUsage | undefined): Usage {
  const read = usage?.cacheReadInputTokens;
  const input = (usage?.inputTokens ?? 0) + (read ?? 0) + (usage?.cacheWriteInputTokens ?? 0);
  const output = usage?.outputTokens ?? 0;
  const out: Usage = { inputTokens: input, outputTokens: output, totalTokens: input + output };
  if (typeof read === "number") out.cachedInputTokens = read;
  return out;
}

function sdkInput(withTools: boolean): ConverseCommandInput {
  const input: ConverseCommandInput = {
    modelId: MODEL,
    messages: [{ role: "user", content: [{ text: question }] }],
  };
  if (withTools) {
    input.toolConfig = {
      tools: [
        {
          toolSpec: {
            name: weather.name,
            description: weather.description,
            inputSchema: { json: weather.parameters },
          },
        },
      ],
    };
  }
  return input;
}

async function viaSdk(withTools: boolean): Promise<Parsed> {
  const answer = await sdk.send(new ConverseCommand(sdkInput(withTools)));
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of answer.output?.message?.content ?? []) {
    if (block.text !== undefined) text += block.text;
    if (block.toolUse !== undefined) {
      toolCalls.push({
        id: block.toolUse.toolUseId ?? "",
        name: block.toolUse.name ?? "",
        input: block.toolUse.input as ToolCall["input"],
      });
    }
  }
  return { text, toolCalls, usage: sdkUsage(answer.usage) };
}

async function viaSdkStream(withTools: boolean): Promise<Parsed> {
  const answer = await sdk.send(new ConverseStreamCommand(sdkInput(withTools)));
  let text = "";
  const tools = new Map<number, { id: string; name: string; args: string }>();
  let usage: TokenUsage | undefined;
  for await (const event of answer.stream ?? []) {
    if (event.contentBlockStart?.start?.toolUse !== undefined) {
      const use = event.contentBlockStart.start.toolUse;
      tools.set(event.contentBlockStart.contentBlockIndex ?? 0, {
        id: use.toolUseId ?? "",
        name: use.name ?? "",
        args: "",
      });
    }
    const delta = event.contentBlockDelta;
    if (delta?.delta?.text !== undefined) text += delta.delta.text;
    if (delta?.delta?.toolUse?.input !== undefined) {
      const tool = tools.get(delta.contentBlockIndex ?? 0);
      if (tool !== undefined) tool.args += delta.delta.toolUse.input;
    }
    if (event.metadata?.usage !== undefined) usage = event.metadata.usage;
  }
  const toolCalls = [...tools.values()].map((t) => ({
    id: t.id,
    name: t.name,
    input: JSON.parse(t.args) as ToolCall["input"],
  }));
  return { text, toolCalls, usage: sdkUsage(usage) };
}

async function viaOurs(withTools: boolean, stream: boolean): Promise<Parsed> {
  const request = {
    messages: [{ role: "user" as const, content: question }],
    ...(withTools ? { tools: [weather] } : {}),
  };
  const response = stream
    ? await collectStream(ours().stream(request))
    : await ours().generate(request);
  return { text: response.text, toolCalls: response.toolCalls, usage: response.usage };
}

const replies: Array<[string, MockReply, boolean]> = [
  [
    "a text answer",
    { text: "Sunny and 24 degrees in Paris.", usage: { input: 21, output: 9 } },
    false,
  ],
  [
    "a tool call",
    {
      toolCalls: [
        { id: "tooluse_parity0123456789", name: "weather", arguments: { city: "Paris" } },
      ],
      usage: { input: 40, output: 12 },
    },
    true,
  ],
  [
    "text with prompt-cache reads",
    { text: "From the cache.", usage: { input: 300, output: 4, cached: 256 } },
    false,
  ],
];

describe("parity with @aws-sdk/client-bedrock-runtime", () => {
  it.each(replies)("reads %s from Converse as the SDK does", async (_name, reply, withTools) => {
    mock.enqueue(reply, reply);
    const theirs = await viaSdk(withTools);
    const mine = await viaOurs(withTools, false);
    expect(mine).toEqual(theirs);
    expect(mine.text + JSON.stringify(mine.toolCalls)).not.toBe("[]");
  });

  it.each(replies)(
    "reads %s from ConverseStream as the SDK does",
    async (_name, reply, withTools) => {
      mock.enqueue(reply, reply);
      const theirs = await viaSdkStream(withTools);
      const mine = await viaOurs(withTools, true);
      expect(mine).toEqual(theirs);
    },
  );

  it("sends the same path and body as the SDK, both signed for bedrock in us-east-1", async () => {
    mock.reset();
    await sdk.send(new ConverseCommand(sdkInput(true)));
    await viaOurs(true, false);
    const [theirs, mine] = mock.requests;
    expect(mine?.path).toBe(theirs?.path);
    expect(mine?.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(mine?.body).toEqual(theirs?.body);
    const scope = /Credential=AKIDPARITYTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/;
    expect(theirs?.headers.authorization).toMatch(scope);
    expect(mine?.headers.authorization).toMatch(scope);
  });
});
