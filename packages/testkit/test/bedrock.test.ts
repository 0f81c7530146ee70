import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type MockProvider, startMockProvider } from "../src/index.js";
import { bedrockAdapter } from "../src/providers/bedrock.js";

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "bedrock" });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
const AMZ_DATE = "20261205T120000Z";
const SIGNED = `AWS4-HMAC-SHA256 Credential=AKIDTESTKIT/20261205/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${"ab".repeat(32)}`;
const body = { messages: [{ role: "user", content: [{ text: "hi" }] }] };

function converse(
  path = `/model/${encodeURIComponent(MODEL)}/converse`,
  headers: Record<string, string> = { authorization: SIGNED, "x-amz-date": AMZ_DATE },
  payload: unknown = body,
) {
  return fetch(`${mock.baseURL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
}

/** The binary body, decoded message by message with the SDK's codec. */
async function events(response: Response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const out: Array<{ headers: Record<string, unknown>; payload: unknown }> = [];
  let at = 0;
  while (at < bytes.length) {
    const total = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    const message = codec.decode(bytes.subarray(at, at + total));
    const headers: Record<string, unknown> = {};
    for (const [name, header] of Object.entries(message.headers)) headers[name] = header.value;
    const text = new TextDecoder().decode(message.body);
    let payload: unknown = text;
    try {
      payload = JSON.parse(text);
    } catch {
      // a malformed frame keeps its text
    }
    out.push({ headers, payload });
    at += total;
  }
  return out;
}

describe("bedrock mock wire format", () => {
  it("answers Converse with output.message content, stopReason, usage and a request id", async () => {
    mock.enqueue({ text: "Hello", usage: { input: 10, output: 2, cached: 4 } });
    const response = await converse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({
      output: { message: { role: "assistant", content: [{ text: "Hello" }] } },
      stopReason: "end_turn",
      usage: {
        inputTokens: 6,
        outputTokens: 2,
        totalTokens: 12,
        cacheReadInputTokens: 4,
        cacheWriteInputTokens: 0,
      },
      metrics: { latencyMs: 312 },
    });
    expect(mock.requests[0]).toMatchObject({ model: MODEL, stream: false, body });
  });

  it("streams ConverseStream as AWS event-stream messages, a tool call opened by contentBlockStart", async () => {
    mock.enqueue({ text: "Hi", toolCalls: [{ id: "tooluse_1", name: "f", arguments: { a: 1 } }] });
    const response = await converse(`/model/${encodeURIComponent(MODEL)}/converse-stream`);
    expect(response.headers.get("content-type")).toBe("application/vnd.amazon.eventstream");
    const all = await events(response);
    expect(all.map((e) => e.headers[":event-type"])).toEqual([
      "messageStart",
      "contentBlockDelta",
      "contentBlockStop",
      "contentBlockStart",
      "contentBlockDelta",
      "contentBlockStop",
      "messageStop",
      "metadata",
    ]);
    expect(all.every((e) => e.headers[":message-type"] === "event")).toBe(true);
    expect(all[3]?.payload).toMatchObject({
      contentBlockIndex: 1,
      start: { toolUse: { toolUseId: "tooluse_1", name: "f" } },
    });
    expect(all[6]?.payload).toMatchObject({ stopReason: "tool_use" });
  });

  it("sends an exception message for error-mid-stream and a cut JSON payload for malformed-json", async () => {
    mock.enqueue(
      { fault: "error-mid-stream", afterChunks: 1 },
      { fault: "malformed-json", afterChunks: 1 },
    );
    const path = `/model/${encodeURIComponent(MODEL)}/converse-stream`;
    const failed = await events(await converse(path));
    expect(failed.at(-1)?.headers).toMatchObject({
      ":message-type": "exception",
      ":exception-type": "internalServerException",
    });
    const malformed = await events(await converse(path));
    expect(malformed.at(-1)?.payload).toBe('{"contentBlockIndex":0,"delta":{"text":"cut');
  });

  it("frames recorded lines written as the SDK hands events out ({eventType: payload})", () => {
    const frames = bedrockAdapter.frameFixture(
      [
        '{"messageStart":{"role":"assistant"}}',
        '{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"text":"Hi"}}}',
      ],
      {
        method: "POST",
        path: "/model/m/converse-stream",
        query: {},
        headers: {},
        body,
        stream: true,
        model: "m",
        at: 0,
      },
    );
    const decoded = frames.map((frame) => codec.decode(frame as Uint8Array));
    expect(decoded.map((m) => m.headers[":event-type"]?.value)).toEqual([
      "messageStart",
      "contentBlockDelta",
    ]);
    expect(JSON.parse(new TextDecoder().decode(decoded[1]?.body))).toMatchObject({
      contentBlockIndex: 0,
      delta: { text: "Hi" },
    });
  });

  it.each([
    [{}, "MissingAuthenticationTokenException"],
    [
      { authorization: "AWS4-HMAC-SHA256 Credential=broken", "x-amz-date": AMZ_DATE },
      "InvalidSignatureException",
    ],
    [{ authorization: SIGNED, "x-amz-date": "20250101T000000Z" }, "InvalidSignatureException"],
    [
      { authorization: SIGNED.replace("bedrock/aws4", "s3/aws4"), "x-amz-date": AMZ_DATE },
      "InvalidSignatureException",
    ],
  ])("refuses %j with a 403 %s", async (headers, type) => {
    const response = await converse(undefined, headers);
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amzn-errortype")).toContain(type);
    expect(await response.json()).toHaveProperty("message");
  });

  it("accepts a bearer API key, and checks the key or access key id when apiKey is set", async () => {
    expect((await converse(undefined, { authorization: "Bearer k" })).status).toBe(200);
    const strict = await startMockProvider({ provider: "bedrock", apiKey: "AKIDTESTKIT" });
    try {
      const ok = await fetch(`${strict.baseURL}/model/m/converse`, {
        method: "POST",
        headers: { authorization: SIGNED, "x-amz-date": AMZ_DATE },
        body: JSON.stringify(body),
      });
      expect(ok.status).toBe(200);
      const wrong = await fetch(`${strict.baseURL}/model/m/converse`, {
        method: "POST",
        headers: { authorization: "Bearer other" },
        body: JSON.stringify(body),
      });
      expect(wrong.status).toBe(403);
      expect(wrong.headers.get("x-amzn-errortype")).toContain("UnrecognizedClientException");
    } finally {
      await strict.close();
    }
  });

  it("answers errors as {message} with the type in x-amzn-errortype and retry hints", async () => {
    mock.enqueue({ status: 429, retryAfterSeconds: 2 });
    const response = await converse();
    expect(response.status).toBe(429);
    expect(response.headers.get("x-amzn-errortype")).toBe(
      "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
    );
    expect(response.headers.get("retry-after")).toBe("2");
    expect(await response.json()).toEqual({
      message: "Too many requests, please wait before trying again.",
    });
  });

  it("validates the body as Converse does", async () => {
    const noMessages = await converse(undefined, undefined, { system: [] });
    expect(noMessages.status).toBe(400);
    const badRole = await converse(undefined, undefined, {
      messages: [{ role: "system", content: [] }],
    });
    expect(((await badRole.json()) as { message: string }).message).toContain("[user, assistant]");
    const noContent = await converse(undefined, undefined, { messages: [{ role: "user" }] });
    expect(noContent.status).toBe(400);
  });

  it("reads tools, tool choice and tool results into the normalized request", async () => {
    const response = await converse(undefined, undefined, {
      system: [{ text: "sys" }],
      messages: [
        { role: "user", content: [{ text: "q" }] },
        { role: "assistant", content: [{ toolUse: { toolUseId: "t", name: "f", input: {} } }] },
        { role: "user", content: [{ toolResult: { toolUseId: "t", content: [{ text: "r" }] } }] },
      ],
      toolConfig: {
        tools: [
          { toolSpec: { name: "f", inputSchema: { json: { type: "object" } } } },
          { notATool: true },
        ],
        toolChoice: { tool: { name: "f" } },
      },
    });
    const answer = (await response.json()) as {
      output: { message: { content: Array<{ toolUse?: { name: string } }> } };
    };
    expect(answer.output.message.content[0]?.toolUse?.name).toBe("f");
  });

  it("answers an unknown route with a 404 UnknownOperationException", async () => {
    const response = await fetch(`${mock.baseURL}/foundation-models`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toContain("UnknownOperationException");
  });

  it("answers Titan embeddings on InvokeModel, with V2's sizes and its validation error", async () => {
    const path = `/model/${encodeURIComponent("amazon.titan-embed-text-v2:0")}/invoke`;
    const headers = { authorization: SIGNED, "x-amz-date": AMZ_DATE };
    const response = await converse(path, headers, { inputText: "hello", dimensions: 512 });
    const answer = (await response.json()) as { embedding: number[]; inputTextTokenCount: number };
    expect(answer.embedding).toHaveLength(512);
    expect(answer.inputTextTokenCount).toBeGreaterThan(0);
    expect(mock.requests.at(-1)?.model).toBe("amazon.titan-embed-text-v2:0");
    expect((await converse(path, headers, { inputText: "x", dimensions: 300 })).status).toBe(400);
    expect((await converse(path, headers, { texts: ["x"] })).status).toBe(400);
    expect((await converse(path, {}, { inputText: "x" })).status).toBe(403);
  });
});
