import {
  type ChatRequest,
  type ChatResponse,
  ParseError,
  StreamAccumulator,
  type StreamEvent,
} from "@llm/core";
import { listFixtures, type MockProvider, readFixture, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnthropic } from "./index.js";

/**
 * Every recorded Anthropic fixture (../shared/conformance, copied into
 * testkit) replayed over a real socket, streamed and not streamed, with the
 * expected values read off the fixture files.
 */
let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "anthropic" });
});
afterAll(() => mock.close());

const client = () =>
  createAnthropic({
    baseURL: mock.baseURL,
    apiKey: "sk-ant-fixture-key",
    model: "claude-sonnet-4-5",
  });
const hello: ChatRequest = { messages: [{ role: "user", content: "Hello" }] };
const jsonRequest: ChatRequest = {
  ...hello,
  responseFormat: {
    type: "json_schema",
    name: "weather",
    schema: { type: "object", properties: { elements: { type: "array" } } },
  },
};

async function generate(fixture: string, request: ChatRequest = hello): Promise<ChatResponse> {
  mock.enqueue({ fixture: `anthropic/${fixture}` });
  return client().generate(request);
}

async function stream(
  fixture: string,
  request: ChatRequest = hello,
): Promise<{ events: StreamEvent[]; response: ChatResponse }> {
  mock.enqueue({ fixture: `anthropic/${fixture}` });
  const events: StreamEvent[] = [];
  const acc = new StreamAccumulator();
  for await (const event of client().stream(request)) {
    events.push(event);
    acc.add(event);
  }
  return { events, response: acc.toResponse() };
}

describe("anthropic conformance fixtures", () => {
  it("covers every recorded fixture of the provider", () => {
    expect(listFixtures("anthropic")).toEqual([
      "anthropic/anthropic-json-tool.1",
      "anthropic/anthropic-message-delta-input-tokens",
      "anthropic/anthropic-refusal",
      "anthropic/anthropic-text",
      "anthropic/anthropic-tool-no-args",
      "anthropic/duplicate-message-start",
      "anthropic/spliced-message-start",
    ]);
  });

  describe("anthropic-text", () => {
    it("parses the JSON into text, finish reason and usage", async () => {
      const r = await generate("anthropic-text");
      expect(r).toMatchObject({
        id: "msg_01VdEjxAP5ahtHKrrRdNBteQ",
        model: "claude-sonnet-4-5-20250929",
        text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
        toolCalls: [],
        finishReason: "stop",
        rawFinishReason: "end_turn",
        usage: { inputTokens: 12, outputTokens: 29, totalTokens: 41, cachedInputTokens: 0 },
      });
      expect(r.requestId).toMatch(/^req_011C/);
    });

    it("parses the stream into the same kind of answer", async () => {
      const { events, response } = await stream("anthropic-text");
      expect(events[0]).toMatchObject({
        type: "start",
        id: "msg_01QC4g3HwBThD4BaNtBckFDJ",
        model: "claude-sonnet-4-5-20250929",
      });
      expect(
        events.filter((e) => e.type === "text-delta").map((e) => (e as { delta: string }).delta),
      ).toEqual([
        "Hello",
        "! I",
        "'m doing well, thank you for asking",
        ". How are you doing today?",
        " Is",
        " there anything I can help you with?",
      ]);
      expect(response.text).toBe(
        "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
      );
      const usage = { inputTokens: 12, outputTokens: 30, totalTokens: 42, cachedInputTokens: 0 };
      expect(events.slice(-2)).toEqual([
        { type: "usage", usage },
        { type: "finish", finishReason: "stop", rawFinishReason: "end_turn", usage },
      ]);
    });
  });

  describe("anthropic-tool-no-args", () => {
    it("parses the JSON into text and a tool call with empty input", async () => {
      const r = await generate("anthropic-tool-no-args");
      expect(r.text).toBe(
        "<thinking>\nThe updateIssueList tool was provided in the list of available functions. The tool has no required parameters, so it can be called without any additional information needed from the user.\n</thinking>\n\nOkay, I will update the current issue list:",
      );
      expect(r.toolCalls).toEqual([
        { id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1", name: "updateIssueList", input: {} },
      ]);
      expect(r.finishReason).toBe("tool-calls");
      expect(r.usage).toEqual({
        inputTokens: 602,
        outputTokens: 93,
        totalTokens: 695,
        cachedInputTokens: 0,
      });
    });

    it("parses the stream into text and an assembled tool call with empty input", async () => {
      const { events, response } = await stream("anthropic-tool-no-args");
      expect(response.text).toBe("I'll update the issue list for you.");
      expect(events.filter((e) => e.type === "tool-call-delta")).toEqual([]);
      expect(events.filter((e) => e.type === "tool-call")).toEqual([
        {
          type: "tool-call",
          index: 0,
          toolCall: { id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", name: "updateIssueList", input: {} },
        },
      ]);
      expect(response.finishReason).toBe("tool-calls");
      expect(response.usage).toEqual({
        inputTokens: 565,
        outputTokens: 48,
        totalTokens: 613,
        cachedInputTokens: 0,
      });
    });
  });

  describe("anthropic-json-tool.1", () => {
    it("returns the json tool's input as the text when JSON output was requested", async () => {
      const r = await generate("anthropic-json-tool.1", jsonRequest);
      const recorded = readFixture("anthropic/anthropic-json-tool.1").json as {
        content: Array<{ input: unknown }>;
      };
      expect(JSON.parse(r.text)).toEqual(recorded.content[0]?.input);
      expect(JSON.parse(r.text).elements[3]).toEqual({
        location: "Berlin",
        temperature: -9,
        condition: "snowy",
      });
      expect(r.toolCalls).toEqual([]);
      expect(r.finishReason).toBe("stop");
      expect(r.rawFinishReason).toBe("tool_use");
      expect(r.usage).toEqual({
        inputTokens: 1151,
        outputTokens: 87,
        totalTokens: 1238,
        cachedInputTokens: 0,
      });
    });

    it("streams the json tool's input as text deltas when JSON output was requested", async () => {
      const { events, response } = await stream("anthropic-json-tool.1", jsonRequest);
      expect(response.text).toBe(
        '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}',
      );
      expect(events.some((e) => e.type === "tool-call" || e.type === "tool-call-delta")).toBe(
        false,
      );
      expect(response.finishReason).toBe("stop");
      expect(response.usage).toEqual({
        inputTokens: 849,
        outputTokens: 47,
        totalTokens: 896,
        cachedInputTokens: 0,
      });
    });

    it("is an ordinary tool call named json when no JSON output was requested", async () => {
      const r = await generate("anthropic-json-tool.1");
      expect(r.text).toBe("");
      expect(r.toolCalls[0]).toMatchObject({ id: "toolu_01Q9ExVZnzZj7E2QQYHYtNUa", name: "json" });
      expect(r.finishReason).toBe("tool-calls");
      const { events } = await stream("anthropic-json-tool.1");
      const deltas = events.flatMap((e) => (e.type === "tool-call-delta" ? [e.argsDelta] : []));
      expect(deltas.join("")).toBe(
        '{"elements": [{"location": "San Francisco", "temperature": 58, "condition": "sunny"}]}',
      );
      expect(events.find((e) => e.type === "tool-call")).toEqual({
        type: "tool-call",
        index: 0,
        toolCall: {
          id: "toolu_01KFbKqPYSuAKujiL6mTfzYA",
          name: "json",
          input: { elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] },
        },
      });
    });
  });

  describe("anthropic-refusal", () => {
    it("parses the JSON refusal into content-filter with the stop details", async () => {
      const r = await generate("anthropic-refusal");
      expect(r).toMatchObject({
        id: "msg_01RefusalExampleAbcdefghijk",
        text: "",
        content: [],
        toolCalls: [],
        finishReason: "content-filter",
        rawFinishReason: "refusal",
        usage: { inputTokens: 18, outputTokens: 5, totalTokens: 23, cachedInputTokens: 0 },
      });
      expect(r.providerMetadata).toMatchObject({
        stopDetails: { type: "refusal", category: "cyber" },
      });
    });

    it("parses the streamed refusal into content-filter with the stop details generate gives", async () => {
      const { events, response } = await stream("anthropic-refusal");
      expect(events.map((e) => e.type)).toEqual(["start", "usage", "finish"]);
      const generated = await generate("anthropic-refusal");
      expect(events.at(-1)).toMatchObject({ providerMetadata: generated.providerMetadata });
      expect(response.providerMetadata).toEqual(generated.providerMetadata);
      expect(response.providerMetadata).toEqual({
        stopDetails: {
          type: "refusal",
          category: "cyber",
          explanation:
            "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy.",
          recommended_model: "claude-fable-5",
        },
      });
      expect(response.text).toBe("");
      expect(response.finishReason).toBe("content-filter");
      expect(response.rawFinishReason).toBe("refusal");
      expect(response.usage).toEqual({
        inputTokens: 18,
        outputTokens: 5,
        totalTokens: 23,
        cachedInputTokens: 0,
      });
    });
  });

  it("takes the input tokens reported late in message_delta (message-delta-input-tokens)", async () => {
    const { response } = await stream("anthropic-message-delta-input-tokens");
    expect(response.id).toBe("msg_3196a1cc08de4d76b85b8f5777c0d42b");
    expect(response.text).toBe("pong");
    expect(response.finishReason).toBe("stop");
    expect(response.usage).toEqual({ inputTokens: 61, outputTokens: 2, totalTokens: 63 });
  });

  it("ignores a repeated message_start for the same message (duplicate-message-start)", async () => {
    const { events, response } = await stream("duplicate-message-start");
    expect(events.filter((e) => e.type === "start")).toHaveLength(1);
    expect(response.id).toBe("msg_dup");
    expect(response.text).toBe("Hello, World!");
    expect(response.finishReason).toBe("stop");
    expect(response.usage).toEqual({ inputTokens: 17, outputTokens: 227, totalTokens: 244 });
  });

  it("rejects a second message spliced into an open one (spliced-message-start)", async () => {
    mock.enqueue({ fixture: "anthropic/spliced-message-start" });
    const events: StreamEvent[] = [];
    let error: unknown;
    try {
      for await (const event of client().stream(hello)) events.push(event);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toContain(
      "started message msg_second while message msg_first was still open",
    );
    expect((error as ParseError).where).toBe("stream event 8");
    // What came before the splice was delivered: one start, the first thinking block with its signature.
    expect(events.filter((e) => e.type === "start")).toEqual([
      expect.objectContaining({ id: "msg_first" }),
    ]);
    expect(events).toContainEqual({ type: "reasoning-delta", delta: "I will call the tool." });
    expect(events).toContainEqual({ type: "reasoning-delta", delta: "", signature: "sig-first" });
    expect(events.some((e) => e.type === "tool-call" || e.type === "finish")).toBe(false);
  });
});
