import { isRecord } from "@llm/core";
import {
  asString,
  contentText,
  InvalidRequestError,
  identityOf,
  type NormalizedRequest,
} from "../normalized-request.js";
import { type Prng, randomHex, randomId } from "../prng.js";
import {
  type ProviderAdapter,
  type ResolvedCompletion,
  retryAfterHeaders,
} from "../provider-adapter.js";
import { chunkText } from "../text-chunks.js";
import type { MockErrorReply, RecordedRequest } from "../types.js";
import { bearerToken, chatAndModelsRoutes, summarizeMessages } from "./adapter-scaffolding.js";
import { type ChatCompletionsErrorShape, errorShapeOf } from "./chat-completions-error.js";
import {
  readFunctionToolChoice,
  readFunctionTools,
  readResponseFormat,
  sseDataFrames,
} from "./chat-completions-request.js";

const SYSTEM_FINGERPRINT = "fp_mock5a1e7b";
const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream; charset=utf-8";
const ARGUMENT_FRAGMENT = 8;

// Cheap to send on every response: clients that read rate-limit headers find them.
const RATE_LIMIT_HEADERS: Record<string, string> = {
  "x-ratelimit-limit-requests": "10000",
  "x-ratelimit-limit-tokens": "2000000",
  "x-ratelimit-remaining-requests": "9999",
  "x-ratelimit-remaining-tokens": "1999000",
  "x-ratelimit-reset-requests": "6ms",
  "x-ratelimit-reset-tokens": "30ms",
};

const ERRORS: Record<number, ChatCompletionsErrorShape> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  401: {
    message:
      "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
    type: "invalid_request_error",
    code: "invalid_api_key",
  },
  403: {
    message: "You are not allowed to sample from this model",
    type: "invalid_request_error",
    code: null,
  },
  404: {
    message: "The model does not exist or you do not have access to it.",
    type: "invalid_request_error",
    code: "model_not_found",
  },
  408: { message: "Request timed out.", type: "server_error", code: null },
  409: { message: "Conflict.", type: "invalid_request_error", code: null },
  413: { message: "Request too large.", type: "invalid_request_error", code: null },
  422: { message: "Unprocessable entity.", type: "invalid_request_error", code: null },
  429: {
    message:
      "Rate limit reached for requests per min (RPM): Limit 10000, Used 10000, Requested 1. Please try again later.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message: "The server had an error while processing your request. Sorry about that!",
    type: "server_error",
    code: null,
  },
  502: { message: "Bad gateway.", type: "server_error", code: null },
  503: {
    message: "The engine is currently overloaded, please try again later.",
    type: "server_error",
    code: null,
  },
  504: { message: "Gateway timeout.", type: "server_error", code: null },
};

const errorShape = (status: number) => errorShapeOf(ERRORS, status, "server_error");

export const openaiAdapter: ProviderAdapter = {
  name: "openai",
  basePath: "/v1",

  shape: chatAndModelsRoutes("/v1/chat/completions", "/v1/models"),

  checkAuth(request, apiKey) {
    const key = bearerToken(request);
    if (key === "") {
      return {
        status: 401,
        body: {
          error: {
            message:
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
            type: "invalid_request_error",
            param: null,
            code: null,
          },
        },
      };
    }
    return apiKey !== undefined && key !== apiKey ? { status: 401 } : undefined;
  },

  normalize(request: RecordedRequest): NormalizedRequest {
    const body = request.body;
    if (!isRecord(body))
      throw new InvalidRequestError("We could not parse the JSON body of your request.");
    const model = asString(body.model);
    if (model === undefined) throw new InvalidRequestError("you must provide a model parameter");
    if (!Array.isArray(body.messages)) {
      throw new InvalidRequestError("Missing required parameter: 'messages'.");
    }
    return {
      model,
      stream: body.stream === true,
      ...summarizeMessages(body.messages, contentText),
      tools: readFunctionTools(body.tools),
      toolChoice: readFunctionToolChoice(body.tool_choice),
      json: readResponseFormat(body.response_format),
      reasoning: typeof body.reasoning_effort === "string" && body.reasoning_effort !== "none",
      sse: true,
      includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
      identity: identityOf(body, ["stream", "stream_options"]),
    };
  },

  authError: () => ({ status: 401 }),
  overloadedStatus: 503,
  finishReason: (hasToolCalls) => (hasToolCalls ? "tool_calls" : "stop"),
  messageId: (prng: Prng) => `chatcmpl-${randomId(prng, 29)}`,
  toolCallId: (prng: Prng) => `call_${randomId(prng, 24)}`,
  requestId: (prng: Prng) => `req_${randomHex(prng, 32)}`,

  successHeaders(stream, requestId) {
    return {
      "content-type": stream ? SSE_TYPE : JSON_TYPE,
      "x-request-id": requestId,
      "openai-version": "2020-10-01",
      "openai-organization": "user-mock",
      "openai-processing-ms": "120",
      ...RATE_LIMIT_HEADERS,
    };
  },

  renderJSON(c: ResolvedCompletion) {
    const message: Record<string, unknown> = {
      role: "assistant",
      content: c.text === "" && c.toolCalls.length > 0 ? null : c.text,
      refusal: null,
      annotations: [],
    };
    if (c.toolCalls.length > 0) {
      message.tool_calls = c.toolCalls.map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
    }
    return {
      id: c.id,
      object: "chat.completion",
      created: c.created,
      model: c.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: c.finishReason }],
      usage: usageOf(c),
      service_tier: "default",
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
  },

  renderFrames(c, request, chunkSize) {
    const head = `{"id":${JSON.stringify(c.id)},"object":"chat.completion.chunk","created":${c.created},"model":${JSON.stringify(c.model)},"service_tier":"default","system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[{"index":0,"delta":`;
    // With include_usage the real API sends "usage":null on every chunk but the last.
    const tail = request.includeUsage ? '}],"usage":null}' : "}]}";
    const frame = (delta: string, finish = "null") =>
      `data: ${head}${delta},"logprobs":null,"finish_reason":${finish}${tail}\n\n`;
    const frames = [frame('{"role":"assistant","content":"","refusal":null}')];
    for (const piece of chunkText(c.text, chunkSize)) {
      frames.push(frame(`{"content":${JSON.stringify(piece)}}`));
    }
    c.toolCalls.forEach((call, index) => {
      const start = {
        index,
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: "" },
      };
      frames.push(frame(`{"tool_calls":[${JSON.stringify(start)}]}`));
      for (const fragment of chunkText(JSON.stringify(call.arguments), ARGUMENT_FRAGMENT)) {
        frames.push(
          frame(
            `{"tool_calls":[{"index":${index},"function":{"arguments":${JSON.stringify(fragment)}}}]}`,
          ),
        );
      }
    });
    frames.push(frame("{}", JSON.stringify(c.finishReason)));
    if (request.includeUsage) {
      frames.push(
        `data: {"id":${JSON.stringify(c.id)},"object":"chat.completion.chunk","created":${c.created},"model":${JSON.stringify(c.model)},"service_tier":"default","system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[],"usage":${JSON.stringify(usageOf(c))}}\n\n`,
      );
    }
    frames.push("data: [DONE]\n\n");
    return frames;
  },

  frameFixture: sseDataFrames,

  errorBody(status, reply: MockErrorReply, _requestId, message) {
    if (reply.body !== undefined) return reply.body;
    const shape = errorShape(status);
    return {
      error: { message: message ?? shape.message, type: shape.type, param: null, code: shape.code },
    };
  },

  errorHeaders(status, requestId, reply) {
    return {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
      ...(status === 429 ? { ...RATE_LIMIT_HEADERS, "x-ratelimit-remaining-requests": "0" } : {}),
      ...retryAfterHeaders(reply),
    };
  },

  midStreamErrorFrame() {
    const shape = errorShape(500);
    return `data: ${JSON.stringify({ error: { message: shape.message, type: shape.type, param: null, code: shape.code } })}\n\n`;
  },

  malformedFrame: () =>
    'data: {"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"cut\n\n',

  modelsBody() {
    const data = ["gpt-4o", "gpt-4o-mini", "gpt-4.1-nano", "o4-mini"].map((id) => ({
      id,
      object: "model",
      created: 1715367049,
      owned_by: "system",
    }));
    return { object: "list", data };
  },

  notFound(method, path) {
    return {
      status: 404,
      body: {
        error: {
          message: `Invalid URL (${method} ${path})`,
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    };
  },
};

function usageOf(c: ResolvedCompletion) {
  return {
    prompt_tokens: c.usage.input,
    completion_tokens: c.usage.output,
    total_tokens: c.usage.input + c.usage.output,
    prompt_tokens_details: { cached_tokens: c.usage.cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: c.usage.reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
