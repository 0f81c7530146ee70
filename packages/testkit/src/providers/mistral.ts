import { isRecord } from "@llm/core";
import {
  asString,
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

/**
 * Mistral's chat completions (`POST /v1/chat/completions`), as api.mistral.ai sends them:
 * - a top-level error object (`{"object":"error","message",…,"type","param","code"}`), and
 *   the gateway's bare `{"message":"Unauthorized","request_id":…}` for a bad key;
 * - `random_seed` (not `seed`), `safe_prompt`, `tool_choice` `auto|none|any|required`, and
 *   no unknown top-level fields (the real API rejects `seed`, `stream_options`, …);
 * - streams that end with `usage` on the finishing chunk, then `data: [DONE]`; tool calls
 *   arrive whole in one delta, with 9-character ids;
 * - tool call ids of exactly nine letters and digits, in requests too (others are refused);
 * - reasoning (Magistral, `prompt_mode: "reasoning"`) as a `thinking` content chunk;
 * - `x-ratelimit-{limit,remaining}-{req,tokens}-minute` headers on every answer.
 */

const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream; charset=utf-8";

/** The top-level fields of Mistral's `ChatCompletionRequest` (from the official client's schema). */
const REQUEST_FIELDS = new Set([
  "model",
  "temperature",
  "top_p",
  "max_tokens",
  "stream",
  "stop",
  "random_seed",
  "metadata",
  "messages",
  "response_format",
  "tools",
  "tool_choice",
  "presence_penalty",
  "frequency_penalty",
  "n",
  "prediction",
  "parallel_tool_calls",
  "reasoning_effort",
  "prompt_mode",
  "guardrails",
  "prompt_cache_key",
  "safe_prompt",
]);

/** Mistral's word for "must call a tool" is `any`; it takes OpenAI's `required` too. */
const MISTRAL_REQUIRED = ["any", "required"] as const;

const RATE_LIMIT_HEADERS: Record<string, string> = {
  "x-ratelimit-limit-req-minute": "720",
  "x-ratelimit-remaining-req-minute": "719",
  "x-ratelimit-limit-tokens-minute": "5000000",
  "x-ratelimit-remaining-tokens-minute": "4999911",
  "x-ratelimit-tokens-query-cost": "89",
};

const ERRORS: Record<number, ChatCompletionsErrorShape> = {
  400: { message: "Invalid request.", type: "invalid_request_error", code: null },
  403: { message: "Forbidden", type: "invalid_request_error", code: null },
  404: { message: "Invalid model: unknown-model", type: "invalid_model", code: "1500" },
  408: { message: "Request timeout", type: "internal_server_error", code: null },
  409: { message: "Conflict", type: "invalid_request_error", code: null },
  413: { message: "Request entity too large", type: "invalid_request_error", code: null },
  429: { message: "Rate limit exceeded", type: "rate_limited", code: "1300" },
  500: { message: "Internal server error", type: "internal_server_error", code: null },
  502: { message: "Bad gateway", type: "internal_server_error", code: null },
  503: {
    message: "Service tier capacity exceeded for this model.",
    type: "service_tier_capacity_exceeded",
    code: "3505",
  },
  504: { message: "Gateway timeout", type: "internal_server_error", code: null },
};

const errorShape = (status: number) => errorShapeOf(ERRORS, status, "internal_server_error");

export const mistralAdapter: ProviderAdapter = {
  name: "mistral",
  basePath: "/v1",

  shape: chatAndModelsRoutes("/v1/chat/completions", "/v1/models"),

  checkAuth(request, apiKey) {
    const key = bearerToken(request);
    if (key === "" || (apiKey !== undefined && key !== apiKey)) return { status: 401 };
    return undefined;
  },

  normalize(request: RecordedRequest): NormalizedRequest {
    const body = request.body;
    if (!isRecord(body)) throw new InvalidRequestError("Invalid JSON body");
    for (const key of Object.keys(body)) {
      if (!REQUEST_FIELDS.has(key)) {
        throw new InvalidRequestError(`body.${key}: Extra inputs are not permitted`);
      }
    }
    const model = asString(body.model);
    if (model === undefined) throw new InvalidRequestError("body.model: Field required");
    if (!Array.isArray(body.messages)) {
      throw new InvalidRequestError("body.messages: Field required");
    }
    const effort = body.reasoning_effort;
    return {
      model,
      stream: body.stream === true,
      ...summarizeMessages(body.messages, chunksText, checkToolCallIds),
      tools: readFunctionTools(body.tools),
      toolChoice: readFunctionToolChoice(body.tool_choice, MISTRAL_REQUIRED),
      json: readResponseFormat(body.response_format),
      reasoning:
        body.prompt_mode === "reasoning" || (typeof effort === "string" && effort !== "none"),
      sse: true,
      // Mistral always ends a stream with usage; there is no `stream_options`.
      includeUsage: true,
      identity: identityOf(body, ["stream"]),
    };
  },

  authError: () => ({ status: 401 }),
  overloadedStatus: 503,
  finishReason: (hasToolCalls) => (hasToolCalls ? "tool_calls" : "stop"),
  messageId: (prng: Prng) => randomHex(prng, 32),
  // Mistral's tool call ids are exactly nine letters and digits.
  toolCallId: (prng: Prng) => randomId(prng, 9),
  requestId: (prng: Prng) => randomHex(prng, 32),

  successHeaders(stream, requestId) {
    return {
      "content-type": stream ? SSE_TYPE : JSON_TYPE,
      "x-request-id": requestId,
      "mistral-correlation-id": requestId,
      ...RATE_LIMIT_HEADERS,
    };
  },

  renderJSON(c: ResolvedCompletion) {
    const message: Record<string, unknown> = {
      role: "assistant",
      tool_calls:
        c.toolCalls.length > 0
          ? c.toolCalls.map((call, index) => ({
              id: call.id,
              type: "function",
              function: { name: call.name, arguments: JSON.stringify(call.arguments) },
              index,
            }))
          : null,
      content: contentOf(c),
    };
    return {
      id: c.id,
      object: "chat.completion",
      model: c.model,
      usage: usageOf(c),
      created: c.created,
      choices: [{ index: 0, message, finish_reason: c.finishReason }],
    };
  },

  renderFrames(c, _request, chunkSize) {
    const head = `{"id":${JSON.stringify(c.id)},"object":"chat.completion.chunk","created":${c.created},"model":${JSON.stringify(c.model)},"choices":[{"index":0,"delta":`;
    const frame = (delta: string, finish = "null", tail = "") =>
      `data: ${head}${delta},"finish_reason":${finish}}]${tail}}\n\n`;
    const frames = [frame('{"role":"assistant","content":""}')];
    for (const piece of chunkText(c.reasoning, chunkSize)) {
      const thinking = [{ type: "thinking", thinking: [{ type: "text", text: piece }] }];
      frames.push(frame(`{"content":${JSON.stringify(thinking)}}`));
    }
    for (const piece of chunkText(c.text, chunkSize)) {
      frames.push(frame(`{"content":${JSON.stringify(piece)}}`));
    }
    const usage = `,"usage":${JSON.stringify(usageOf(c))}`;
    if (c.toolCalls.length > 0) {
      // Mistral sends the calls whole, in the finishing chunk, with the usage.
      const calls = c.toolCalls.map((call, index) => ({
        id: call.id,
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        index,
      }));
      frames.push(
        frame(
          `{"content":"","tool_calls":${JSON.stringify(calls)}}`,
          JSON.stringify(c.finishReason),
          usage,
        ),
      );
    } else {
      frames.push(frame('{"content":""}', JSON.stringify(c.finishReason), usage));
    }
    frames.push("data: [DONE]\n\n");
    return frames;
  },

  frameFixture: sseDataFrames,

  errorBody(status, reply: MockErrorReply, requestId, message) {
    if (reply.body !== undefined) return reply.body;
    // The API gateway answers a missing or bad key, and a burst over the per-second limit,
    // with a bare message before the request reaches the model servers.
    if (status === 401) return { message: message ?? "Unauthorized", request_id: requestId };
    if (status === 422) {
      const detail = [
        { type: "missing", loc: ["body", "model"], msg: message ?? "Field required", input: {} },
      ];
      return {
        object: "error",
        message: { detail },
        type: "invalid_request_message_error",
        param: null,
        code: null,
      };
    }
    const shape = errorShape(status);
    return {
      object: "error",
      message: message ?? shape.message,
      type: shape.type,
      param: null,
      code: shape.code,
    };
  },

  errorHeaders(status, requestId, reply) {
    return {
      "content-type": "application/json; charset=utf-8",
      "x-request-id": requestId,
      ...(status === 429 ? { ...RATE_LIMIT_HEADERS, "x-ratelimit-remaining-req-minute": "0" } : {}),
      ...retryAfterHeaders(reply),
    };
  },

  midStreamErrorFrame() {
    const shape = errorShape(500);
    return `data: ${JSON.stringify({ object: "error", message: shape.message, type: shape.type, param: null, code: shape.code })}\n\n`;
  },

  malformedFrame: () =>
    'data: {"id":"c0ffee","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"cut\n\n',

  modelsBody() {
    const data = [
      "mistral-small-latest",
      "mistral-medium-latest",
      "mistral-large-latest",
      "magistral-medium-latest",
      "mistral-embed",
      "codestral-embed",
    ].map((id) => ({
      id,
      object: "model",
      created: 1733443200,
      owned_by: "mistralai",
      capabilities: { completion_chat: !id.endsWith("embed"), function_calling: true },
    }));
    return { object: "list", data };
  },

  notFound() {
    return { status: 404, body: { detail: "Not Found" } };
  },
};

const TOOL_CALL_ID = /^[A-Za-z0-9]{9}$/;

/** Mistral refuses a tool call id that is not nine letters and digits, in a call or a result. */
function checkToolCallIds(message: Record<string, unknown>): void {
  const ids: unknown[] = [];
  if (message.role === "tool") ids.push(message.tool_call_id);
  if (message.role === "assistant" && Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) if (isRecord(call)) ids.push(call.id);
  }
  for (const id of ids) {
    if (typeof id === "string" && !TOOL_CALL_ID.test(id)) {
      throw new InvalidRequestError(
        `Tool call id was ${id} but must be a-z, A-Z, 0-9, with a length of 9.`,
      );
    }
  }
}

/** Text of a message's content: a string, or chunks (`text`, `thinking` with nested chunks). */
function chunksText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const chunk of content) {
    if (!isRecord(chunk)) continue;
    if (typeof chunk.text === "string") out += chunk.text;
    else if (Array.isArray(chunk.thinking)) out += chunksText(chunk.thinking);
  }
  return out;
}

/** A plain answer is a string; with reasoning, a `thinking` chunk then a `text` chunk. */
function contentOf(c: ResolvedCompletion): unknown {
  if (c.reasoning === "") return c.text === "" && c.toolCalls.length > 0 ? "" : c.text;
  const chunks: unknown[] = [{ type: "thinking", thinking: [{ type: "text", text: c.reasoning }] }];
  if (c.text !== "") chunks.push({ type: "text", text: c.text });
  return chunks;
}

function usageOf(c: ResolvedCompletion) {
  const usage: Record<string, unknown> = {
    prompt_tokens: c.usage.input,
    completion_tokens: c.usage.output,
    total_tokens: c.usage.input + c.usage.output,
  };
  if (c.usage.cached > 0) usage.prompt_tokens_details = { cached_tokens: c.usage.cached };
  return usage;
}
