import {
  AuthenticationError,
  ContextLengthError,
  InvalidRequestError,
  ProviderError,
  RateLimitError,
  type StreamEvent,
} from "@llm/core";
import { describe, expect, it } from "vitest";
import { bedrockStreamException, mapBedrockError } from "./bedrock-error.js";
import { BedrockStreamEvents, MAX_OPEN_TOOL_BLOCKS } from "./bedrock-stream-events.js";

const info = (
  status: number,
  type: string | undefined,
  body: string,
  extra: Record<string, string> = {},
) => ({
  provider: "bedrock",
  status,
  headers: {
    ...(type === undefined
      ? {}
      : { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` }),
    "x-amzn-requestid": "req-1",
    ...extra,
  },
  bodyText: body,
});

describe("mapBedrockError", () => {
  it("names the error type from x-amzn-errortype, without its coral suffix, and the request id", () => {
    const error = mapBedrockError(
      info(429, "ThrottlingException", '{"message":"Too many requests"}', { "retry-after": "3" }),
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3000, requestId: "req-1" });
    expect(error.message).toBe(
      "bedrock returned HTTP 429 ThrottlingException: Too many requests (request id req-1)",
    );
  });

  it.each([
    [403, "AccessDeniedException", AuthenticationError],
    [403, "UnrecognizedClientException", AuthenticationError],
    [400, "ValidationException", InvalidRequestError],
    [404, "ResourceNotFoundException", InvalidRequestError],
    [500, "InternalServerException", ProviderError],
    [503, "ServiceUnavailableException", ProviderError],
  ])("maps %i %s to its class", (status, type, kind) => {
    expect(mapBedrockError(info(status, type, '{"message":"m"}'))).toBeInstanceOf(kind);
  });

  it("maps 'Input is too long' to a ContextLengthError", () => {
    const error = mapBedrockError(
      info(400, "ValidationException", '{"message":"Input is too long for requested model."}'),
    );
    expect(error).toBeInstanceOf(ContextLengthError);
  });

  it("reads a capitalised Message and a JSON 1.1 __type when the header is missing", () => {
    const error = mapBedrockError(
      info(
        400,
        undefined,
        '{"__type":"com.amazon.coral.validate#ValidationException","Message":"bad"}',
      ),
    );
    expect(error.message).toContain("ValidationException: bad");
  });

  it("keeps a body that is not JSON as the excerpt", () => {
    const error = mapBedrockError(info(502, undefined, "<html>Bad Gateway</html>"));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain("Bad Gateway");
  });
});

describe("bedrockStreamException", () => {
  it.each([
    ["throttlingException", RateLimitError, true, 429],
    ["serviceUnavailableException", ProviderError, true, 503],
    ["internalServerException", ProviderError, true, 500],
    ["modelTimeoutException", ProviderError, true, 408],
    ["modelStreamErrorException", ProviderError, true, 424],
    ["validationException", InvalidRequestError, false, 400],
  ])("maps %s to a %o with retryable %s", (type, kind, retryable, status) => {
    const error = bedrockStreamException(type, '{"message":"details"}', {
      "x-amzn-requestid": "r",
    });
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ retryable, status });
    expect(error.message).toContain("details");
  });

  it("treats an unknown exception as a retryable server error", () => {
    expect(bedrockStreamException("newException", "{}", {})).toMatchObject({
      retryable: true,
      status: 500,
    });
  });
});

describe("BedrockStreamEvents", () => {
  const frame = (type: string, payload: unknown, messageType = "event") => ({
    messageType,
    type,
    payload: typeof payload === "string" ? payload : JSON.stringify(payload),
  });

  it("yields the deltas before an exception message, then throws it typed", () => {
    const handler = new BedrockStreamEvents("m", { "x-amzn-requestid": "rid" }, false);
    const out: StreamEvent[] = [];
    handler.push(frame("messageStart", { role: "assistant" }), out);
    handler.push(frame("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hi" } }), out);
    expect(() =>
      handler.push(frame("throttlingException", { message: "slow down" }, "exception"), out),
    ).toThrow(RateLimitError);
    expect(out).toEqual([
      {
        type: "start",
        id: "rid",
        requestId: "rid",
        model: "m",
        provider: "bedrock",
        origin: { type: "upstream" },
      },
      { type: "text-delta", delta: "Hi" },
    ]);
  });

  it("refuses more than MAX_OPEN_TOOL_BLOCKS tool blocks open at once with a ParseError", () => {
    const handler = new BedrockStreamEvents("m", {}, false);
    const out: StreamEvent[] = [];
    handler.push(frame("messageStart", {}), out);
    const start = (contentBlockIndex: number) =>
      frame("contentBlockStart", {
        contentBlockIndex,
        start: { toolUse: { toolUseId: `t${contentBlockIndex}`, name: "f" } },
      });
    for (let i = 0; i < MAX_OPEN_TOOL_BLOCKS; i++) handler.push(start(i), out);
    // Restarting an open block is no growth; a new one past the cap is.
    handler.push(start(0), out);
    expect(() => handler.push(start(MAX_OPEN_TOOL_BLOCKS), out)).toThrow(
      expect.objectContaining({
        code: "PARSE",
        where: `stream event ${MAX_OPEN_TOOL_BLOCKS + 3}`,
      }),
    );
    // A stopped block frees its place.
    handler.push(frame("contentBlockStop", { contentBlockIndex: 1 }), out);
    handler.push(start(MAX_OPEN_TOOL_BLOCKS), out);
  });

  it("names the event in a ParseError for a payload that is not JSON or not an object", () => {
    const handler = new BedrockStreamEvents("m", {}, false);
    const out: StreamEvent[] = [];
    handler.push(frame("messageStart", {}), out);
    expect(() => handler.push(frame("contentBlockDelta", "{cut"), out)).toThrow(
      expect.objectContaining({ code: "PARSE", where: "stream event 2" }),
    );
    expect(() => handler.push(frame("metadata", "[1]"), out)).toThrow(/not an object/);
  });

  it("refuses content before messageStart and tool input for a block that never started", () => {
    const early = new BedrockStreamEvents("m", {}, false);
    expect(() => early.push(frame("contentBlockDelta", { delta: { text: "x" } }), [])).toThrow(
      /before messageStart/,
    );
    const handler = new BedrockStreamEvents("m", {}, false);
    handler.push(frame("messageStart", {}), []);
    expect(() =>
      handler.push(
        frame("contentBlockDelta", { contentBlockIndex: 3, delta: { toolUse: { input: "{" } } }),
        [],
      ),
    ).toThrow(/content block 3 before it started/);
  });

  it("ignores a repeated messageStart and unknown event types", () => {
    const handler = new BedrockStreamEvents("m", {}, false);
    const out: StreamEvent[] = [];
    handler.push(frame("messageStart", {}), out);
    handler.push(frame("messageStart", {}), out);
    handler.push(frame("someFutureEvent", {}), out);
    handler.push(frame("messageStop", { stopReason: "end_turn" }), out);
    handler.end(out);
    expect(out.map((e) => e.type)).toEqual(["start", "usage", "finish"]);
  });
});
