import {
  type AIMessageChunk,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";
import { OutputParserException } from "@langchain/core/output_parsers";
import { tool } from "@langchain/core/tools";
import { AbortError, ConfigError, InvalidRequestError, LLMError, RateLimitError } from "@llm/core";
import { createLLMContainer } from "@llm/di";
import { createOpenAI, provider as openaiProvider } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LLMKitChatModel } from "../src/index.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

const client = () =>
  createOpenAI({ baseURL: mock.baseURL, apiKey: "sk-test-langchain-key", model: "gpt-4o-mini" });
const model = (fields: Partial<ConstructorParameters<typeof LLMKitChatModel>[0]> = {}) =>
  new LLMKitChatModel({ client: client(), ...fields });
const lastBody = () => mock.requests.at(-1)?.body as Record<string, unknown>;

const weather = tool(async ({ city }: { city: string }) => `Sunny in ${city}`, {
  name: "weather",
  description: "Current weather for a city",
  schema: z.object({ city: z.string() }),
});

describe("invoke", () => {
  it("sends LangChain messages as our request and answers with an AIMessage", async () => {
    mock.enqueue({ text: "Hello there", usage: { input: 12, output: 3 } });
    const answer = await model({ temperature: 0, maxTokens: 50 }).invoke([
      new SystemMessage("Be brief."),
      new HumanMessage("Hi"),
    ]);
    expect(answer.content).toBe("Hello there");
    expect(lastBody()).toMatchObject({
      model: "gpt-4o-mini",
      temperature: 0,
      max_tokens: 50,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
  });

  it("reports usage_metadata and response_metadata", async () => {
    mock.enqueue({ text: "ok", usage: { input: 12, output: 3, cached: 4 } });
    const answer = await model().invoke("Hi");
    expect(answer.usage_metadata).toMatchObject({
      input_tokens: 12,
      output_tokens: 3,
      total_tokens: 15,
      input_token_details: { cache_read: 4 },
    });
    expect(answer.response_metadata).toMatchObject({
      model_name: "gpt-4o-mini",
      model_provider: "openai",
      finish_reason: "stop",
      origin: { type: "upstream" },
    });
  });

  it("passes a call's stop sequences and a model's sampling parameters", async () => {
    mock.enqueue({ text: "ok" });
    await model({ topP: 0.5, seed: 7 }).invoke("Hi", { stop: ["END"] });
    expect(lastBody()).toMatchObject({ top_p: 0.5, seed: 7, stop: ["END"] });
  });

  it("sends image blocks as image parts", async () => {
    mock.enqueue({ text: "a cat" });
    await model().invoke([
      new HumanMessage({
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          { type: "image", url: "https://example.com/cat.png" },
        ],
      }),
    ]);
    const content = (lastBody().messages as { content: unknown[] }[])[0]!.content;
    expect(content).toHaveLength(3);
    expect(content[1]).toEqual({
      type: "image_url",
      image_url: { url: "data:image/png;base64,iVBORw0KGgo=" },
    });
    expect(content[2]).toEqual({
      type: "image_url",
      image_url: { url: "https://example.com/cat.png" },
    });
  });

  it("runs a batch as one call per input", async () => {
    const answers = await model().batch(["first question", "second question"]);
    expect(answers).toHaveLength(2);
    expect(mock.requests).toHaveLength(2);
  });
});

describe("stream", () => {
  it("yields token chunks that add up to the answer, usage on the last", async () => {
    mock.enqueue({ text: "one two three four", usage: { input: 5, output: 4 } });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model().stream("Count")) chunks.push(chunk);
    const texts = chunks.map((c) => c.content).filter((c) => c !== "");
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join("")).toBe("one two three four");
    const usage = chunks.map((c) => c.usage_metadata).filter((u) => u !== undefined);
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({ input_tokens: 5, output_tokens: 4, total_tokens: 9 });
    expect(chunks.at(-1)?.response_metadata).toMatchObject({
      finish_reason: "stop",
      model_provider: "openai",
    });
  });

  it("streams tool calls that aggregate into tool_calls", async () => {
    mock.enqueue({ toolCalls: [{ id: "call_1", name: "weather", arguments: { city: "Paris" } }] });
    let aggregate: AIMessageChunk | undefined;
    for await (const chunk of await model().bindTools([weather]).stream("weather in Paris?"))
      aggregate = aggregate === undefined ? chunk : aggregate.concat(chunk);
    expect(aggregate?.tool_calls).toEqual([
      { id: "call_1", name: "weather", args: { city: "Paris" }, type: "tool_call" },
    ]);
  });

  it("tells callbacks about each token", async () => {
    mock.enqueue({ text: "alpha beta gamma" });
    const tokens: string[] = [];
    const stream = await model().stream("Go", {
      callbacks: [{ handleLLMNewToken: (token: string) => void tokens.push(token) }],
    });
    for await (const _ of stream);
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe("alpha beta gamma");
    expect(mock.requests.at(-1)?.stream).toBe(true);
  });
});

describe("streamEvents", () => {
  it("feeds LangChain's content-block event protocol from our stream", async () => {
    mock.enqueue({ text: "one two three", usage: { input: 2, output: 3 } });
    const events: { event: string }[] = [];
    for await (const event of model().streamEvents("Count") as AsyncIterable<{ event: string }>)
      events.push(event);
    const kinds = events.map((e) => e.event);
    expect(kinds[0]).toBe("message-start");
    expect(kinds.filter((k) => k === "content-block-delta")).toHaveLength(3);
    expect(kinds).toContain("usage");
    expect(kinds.at(-1)).toBe("message-finish");
  });
});

describe("bindTools", () => {
  it("sends LangChain tools as JSON Schema and maps the tool call back", async () => {
    mock.enqueue({ toolCalls: [{ id: "call_9", name: "weather", arguments: { city: "Oslo" } }] });
    const answer = await model().bindTools([weather], { tool_choice: "any" }).invoke("Oslo?");
    expect(answer.tool_calls).toEqual([
      { id: "call_9", name: "weather", args: { city: "Oslo" }, type: "tool_call" },
    ]);
    expect(answer.response_metadata.finish_reason).toBe("tool_calls");
    const body = lastBody();
    expect(body.tool_choice).toBe("required");
    expect(body.tools).toMatchObject([
      {
        type: "function",
        function: {
          name: "weather",
          description: "Current weather for a city",
          parameters: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
          },
        },
      },
    ]);
  });

  it("accepts OpenAI-format tools and a tool named as the choice", async () => {
    const openaiTool = {
      type: "function" as const,
      function: {
        name: "lookup",
        description: "Look up",
        parameters: { type: "object", properties: { q: { type: "string" } } },
      },
    };
    await model().bindTools([openaiTool], { tool_choice: "lookup" }).invoke("find it");
    expect(lastBody().tool_choice).toEqual({ type: "function", function: { name: "lookup" } });
  });

  it("sends the tool call and its ToolMessage back on the next turn", async () => {
    const bound = model().bindTools([weather]);
    const first = await bound.invoke([
      new HumanMessage("What is the weather in Rome? Use weather."),
    ]);
    const call = first.tool_calls![0]!;
    const result = await weather.invoke(call);
    expect(result).toBeInstanceOf(ToolMessage);
    mock.enqueue({ text: "It is sunny in Rome." });
    const second = await bound.invoke([
      new HumanMessage("What is the weather in Rome? Use weather."),
      first,
      result,
    ]);
    expect(second.content).toBe("It is sunny in Rome.");
    const messages = lastBody().messages as Record<string, unknown>[];
    expect(messages[1]).toMatchObject({
      role: "assistant",
      tool_calls: [{ id: call.id, type: "function", function: { name: "weather" } }],
    });
    expect(messages[2]).toMatchObject({ role: "tool", tool_call_id: call.id });
    expect(String(messages[2]!.content)).toContain("Sunny in");
  });

  it("refuses a ToolMessage that answers no known tool call", async () => {
    await expect(
      model().invoke([
        new HumanMessage("hi"),
        new ToolMessage({ content: "x", tool_call_id: "nope" }),
      ]),
    ).rejects.toThrow(/messages\[1\]\.tool_call_id/);
  });

  it("refuses a tool without a function name, naming its index", () => {
    expect(() => model().bindTools([{ type: "function", function: {} }])).toThrow(
      InvalidRequestError,
    );
    expect(() => model().bindTools([{ type: "function", function: {} }])).toThrow(/tools\[0\]/);
  });
});

describe("withStructuredOutput", () => {
  const Person = z.object({ name: z.string(), age: z.number() }).describe("A person");

  it("puts the zod schema on our request as a JSON schema and parses the answer", async () => {
    mock.enqueue({ text: JSON.stringify({ name: "Ada", age: 36 }) });
    const person = await model()
      .withStructuredOutput(Person, { name: "person" })
      .invoke("Who wrote the first program?");
    expect(person).toEqual({ name: "Ada", age: 36 });
    expect(lastBody().response_format).toMatchObject({
      type: "json_schema",
      json_schema: {
        name: "person",
        description: "A person",
        schema: {
          type: "object",
          properties: { name: { type: "string" }, age: { type: "number" } },
        },
      },
    });
  });

  it("rejects an answer the schema does not accept", async () => {
    mock.enqueue({ text: JSON.stringify({ name: "Ada", age: "old" }) });
    await expect(model().withStructuredOutput(Person).invoke("Who?")).rejects.toBeInstanceOf(
      OutputParserException,
    );
  });

  it("returns raw and parsed (null on a mismatch) with includeRaw", async () => {
    mock.enqueue({ text: "not json" });
    const out = await model().withStructuredOutput(Person, { includeRaw: true }).invoke("Who?");
    expect(out.parsed).toBeNull();
    expect(out.raw.content).toBe("not json");
  });

  it("answers from a sampled JSON schema reply end to end", async () => {
    const out = await model().withStructuredOutput(Person).invoke("Describe someone");
    expect(Person.parse(out)).toEqual(out);
  });

  it("asks for plain JSON in jsonMode", async () => {
    mock.enqueue({ text: JSON.stringify({ name: "Bo", age: 3 }) });
    const out = await model().withStructuredOutput(Person, { method: "jsonMode" }).invoke("Who?");
    expect(out).toEqual({ name: "Bo", age: 3 });
    expect(lastBody().response_format).toEqual({ type: "json_object" });
  });

  it("forces one tool in functionCalling", async () => {
    const out = await model()
      .withStructuredOutput(Person, { method: "functionCalling", name: "person" })
      .invoke("Who?");
    expect(Person.parse(out)).toEqual(out);
    expect(lastBody().tool_choice).toEqual({ type: "function", function: { name: "person" } });
  });

  it("refuses an unknown method", () => {
    expect(() => model().withStructuredOutput(Person, { method: "xml" })).toThrow(
      InvalidRequestError,
    );
  });
});

describe("errors and abort", () => {
  it("throws our typed error unchanged", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 1 });
    const error = await model({ maxRetries: 0 })
      .invoke("Hi")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(mock.requests).toHaveLength(1);
  });

  it("throws our typed error from a stream that breaks midway, after the chunks before it", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 2 });
    const seen: string[] = [];
    const run = async () => {
      for await (const chunk of await model().stream("Count")) seen.push(String(chunk.content));
    };
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(seen.length).toBeGreaterThan(0);
  });

  it("aborts a call in flight with our AbortError", async () => {
    mock.setLatency({ headersMs: 10_000 });
    try {
      const controller = new AbortController();
      const pending = model()
        .invoke("Hi", { signal: controller.signal })
        .catch((e: unknown) => e);
      for (let i = 0; i < 200 && mock.requests.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      expect(await pending).toBeInstanceOf(AbortError);
    } finally {
      mock.setLatency(undefined);
    }
  });

  it("aborts a stream between chunks", async () => {
    mock.enqueue({ text: "one two three four five six seven eight" });
    const controller = new AbortController();
    const seen: string[] = [];
    const run = async () => {
      for await (const chunk of await model().stream("Count", { signal: controller.signal })) {
        seen.push(String(chunk.content));
        controller.abort();
      }
    };
    // LangChain checks the signal between chunks itself and throws its reason.
    await expect(run()).rejects.toMatchObject({ name: "AbortError" });
    expect(seen).toHaveLength(1);
  });

  it("names the block it cannot send", async () => {
    const audio = new HumanMessage({
      content: [{ type: "audio", data: "AAAA", mimeType: "audio/wav" }],
    });
    const error = await model()
      .invoke([audio])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("messages[0].content[0]");
  });
});

describe("construction", () => {
  it("takes a client by name from a createLLMContainer result", async () => {
    const llm = await createLLMContainer({
      config: {
        env: {},
        overrides: {
          clients: {
            support: {
              provider: "openai",
              model: "gpt-4o-mini",
              apiKey: "sk-container-key",
              baseURL: mock.baseURL,
            },
          },
          cache: { l2: { type: "none" } },
        },
      },
      providers: [openaiProvider],
    });
    try {
      const support = new LLMKitChatModel({
        container: llm,
        clientName: "support",
        temperature: 0,
      });
      const first = await support.invoke("What is your refund policy?");
      const second = await support.invoke("What is your refund policy?");
      expect(second.content).toBe(first.content);
      expect(second.response_metadata.origin).toMatchObject({ type: "cache", level: "l1" });
      expect(mock.requests).toHaveLength(1);
      expect(() => new LLMKitChatModel({ container: llm, clientName: "nope" })).toThrow(
        ConfigError,
      );
    } finally {
      await llm.dispose();
    }
  });

  it("refuses no client, both kinds, and a non-client", () => {
    expect(() => new LLMKitChatModel({})).toThrow(ConfigError);
    expect(() => new LLMKitChatModel({ container: { clients: { get: client } } })).toThrow(
      /clientName/,
    );
    expect(() => new LLMKitChatModel({ client: client(), clientName: "x" })).toThrow(ConfigError);
    expect(() => new LLMKitChatModel({ client: {} as never })).toThrow(
      /generate\(\) and stream\(\)/,
    );
  });

  it("identifies the provider instance and parameters, never the key", () => {
    const m = model({ temperature: 0 });
    const identity = JSON.stringify(m._identifyingParams());
    expect(identity).toContain(mock.baseURL.replace(/\/$/, ""));
    expect(identity).not.toContain("sk-test-langchain-key");
    expect(m.invocationParams({ stop: ["x"] } as never)).toEqual({ temperature: 0, stop: ["x"] });
    expect(m.getLsParams({} as never)).toMatchObject({
      ls_provider: "openai",
      ls_model_name: "gpt-4o-mini",
    });
  });
});
