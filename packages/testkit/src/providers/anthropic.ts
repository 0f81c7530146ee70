import { isRecord } from "@llm/core";
import {
  asString,
  contentText,
  InvalidRequestError,
  identityOf,
  type NormalizedRequest,
  type NormalizedTool,
  type NormalizedToolChoice,
} from "../normalized-request.js";
import { type Prng, randomId } from "../prng.js";
import {
  type ProviderAdapter,
  type ResolvedCompletion,
  retryAfterHeaders,
} from "../provider-adapter.js";
import { chunkText } from "../text-chunks.js";
import type { MockErrorReply, RecordedRequest } from "../types.js";
import { bearerToken, chatAndModelsRoutes } from "./adapter-scaffolding.js";

const JSON_TYPE = "application/json";
const SSE_TYPE = "text/event-stream; charset=utf-8";
const ORGANIZATION_ID = "0c5e7b3a-4f1d-4d8e-9a51-6f2b8c0d1e2f";
const ARGUMENT_FRAGMENT = 8;

const ERRORS: Record<number, { type: string; message: string }> = {
  400: { type: "invalid_request_error", message: "Invalid request" },
  401: { type: "authentication_error", message: "invalid x-api-key" },
  403: {
    type: "permission_error",
    message: "Your API key does not have permission to use the specified resource.",
  },
  404: { type: "not_found_error", message: "Not found" },
  413: {
    type: "request_too_large",
    message: "Request exceeds the maximum allowed number of bytes.",
  },
  429: {
    type: "rate_limit_error",
    message:
      "Number of request tokens has exceeded your per-minute rate limit (https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.",
  },
  500: { type: "api_error", message: "Internal server error" },
  529: { type: "overloaded_error", message: "Overloaded" },
};

function errorShape(status: number): { type: string; message: string } {
  return (
    ERRORS[status] ?? {
      type: status >= 500 ? "api_error" : "invalid_request_error",
      message: `HTTP ${status}`,
    }
  );
}

function errorEnvelope(type: string, message: string, requestId: string) {
  const envelope = { type: "error", error: { type, message } };
  return requestId === "" ? envelope : { ...envelope, request_id: requestId };
}

function event(type: string, data: string): string {
  return `event: ${type}\ndata: ${data}\n\n`;
}

export const anthropicAdapter: ProviderAdapter = {
  name: "anthropic",
  basePath: "",

  shape: chatAndModelsRoutes("/v1/messages", "/v1/models"),

  checkAuth(request, apiKey) {
    const key = request.headers["x-api-key"] ?? bearerToken(request);
    if (key === "") {
      return {
        status: 401,
        body: errorEnvelope("authentication_error", "x-api-key header is required", ""),
      };
    }
    if (apiKey !== undefined && key !== apiKey) return { status: 401 };
    if (request.headers["anthropic-version"] === undefined) {
      return {
        status: 400,
        body: errorEnvelope("invalid_request_error", "anthropic-version: header is required", ""),
      };
    }
    return undefined;
  },

  normalize(request: RecordedRequest): NormalizedRequest {
    const body = request.body;
    if (!isRecord(body))
      throw new InvalidRequestError("There was an error parsing the body of your request.");
    const model = asString(body.model);
    if (model === undefined) throw new InvalidRequestError("model: Field required");
    if (typeof body.max_tokens !== "number")
      throw new InvalidRequestError("max_tokens: Field required");
    if (!Array.isArray(body.messages)) throw new InvalidRequestError("messages: Field required");
    let promptChars = contentText(body.system).length;
    let lastRole: NormalizedRequest["lastRole"];
    let lastUserText = "";
    for (const message of body.messages) {
      if (!isRecord(message)) continue;
      const text = contentText(message.content);
      promptChars += text.length;
      const hasToolResult =
        Array.isArray(message.content) &&
        message.content.some((block) => isRecord(block) && block.type === "tool_result");
      lastRole = message.role === "assistant" ? "assistant" : hasToolResult ? "tool" : "user";
      lastUserText = lastRole === "user" ? text : "";
    }
    const tools: NormalizedTool[] = [];
    if (Array.isArray(body.tools)) {
      for (const tool of body.tools) {
        if (isRecord(tool) && typeof tool.name === "string") {
          tools.push({
            name: tool.name,
            parameters: isRecord(tool.input_schema) ? tool.input_schema : undefined,
          });
        }
      }
    }
    // Structured outputs: `output_config.format` (GA) or the beta's `output_format`.
    const config = isRecord(body.output_config) ? body.output_config : {};
    const format = isRecord(config.format)
      ? config.format
      : isRecord(body.output_format)
        ? body.output_format
        : undefined;
    return {
      model,
      stream: body.stream === true,
      promptChars,
      lastRole,
      lastUserText,
      tools,
      toolChoice: toolChoiceOf(body.tool_choice),
      json:
        format?.type === "json_schema"
          ? { schema: isRecord(format.schema) ? format.schema : undefined }
          : undefined,
      reasoning: isRecord(body.thinking) && body.thinking.type === "enabled",
      sse: true,
      includeUsage: true,
      identity: identityOf(body, ["stream"]),
    };
  },

  authError: () => ({ status: 401 }),
  overloadedStatus: 529,
  finishReason: (hasToolCalls) => (hasToolCalls ? "tool_use" : "end_turn"),
  messageId: (prng: Prng) => `msg_01${randomId(prng, 22)}`,
  toolCallId: (prng: Prng) => `toolu_01${randomId(prng, 22)}`,
  requestId: (prng: Prng) => `req_011C${randomId(prng, 20)}`,

  successHeaders(stream, requestId) {
    return {
      "content-type": stream ? SSE_TYPE : JSON_TYPE,
      "request-id": requestId,
      "anthropic-organization-id": ORGANIZATION_ID,
      ...(stream ? { "cache-control": "no-cache" } : {}),
    };
  },

  renderJSON(c: ResolvedCompletion) {
    const content: unknown[] = [];
    if (c.reasoning !== "") {
      content.push({ type: "thinking", thinking: c.reasoning, signature: signatureOf(c) });
    }
    if (c.text !== "" || c.toolCalls.length === 0) content.push({ type: "text", text: c.text });
    for (const call of c.toolCalls) {
      content.push({ type: "tool_use", id: call.id, name: call.name, input: call.arguments });
    }
    return {
      id: c.id,
      type: "message",
      role: "assistant",
      model: c.model,
      content,
      stop_reason: c.finishReason,
      stop_sequence: null,
      usage: { ...usageOf(c), service_tier: "standard" },
    };
  },

  renderFrames(c, _request, chunkSize) {
    const message = {
      id: c.id,
      type: "message",
      role: "assistant",
      model: c.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usageOf(c), output_tokens: 1, service_tier: "standard" },
    };
    const frames = [event("message_start", JSON.stringify({ type: "message_start", message }))];
    let index = 0;
    const start = (block: unknown) => {
      frames.push(
        event(
          "content_block_start",
          JSON.stringify({ type: "content_block_start", index, content_block: block }),
        ),
      );
      // The real API sends one ping right after the first block starts.
      if (index === 0) frames.push(event("ping", '{"type": "ping"}'));
    };
    const delta = (payload: unknown) =>
      frames.push(
        event(
          "content_block_delta",
          JSON.stringify({ type: "content_block_delta", index, delta: payload }),
        ),
      );
    const stop = () => {
      frames.push(event("content_block_stop", `{"type":"content_block_stop","index":${index}}`));
      index++;
    };
    if (c.reasoning !== "") {
      start({ type: "thinking", thinking: "", signature: "" });
      for (const piece of chunkText(c.reasoning, chunkSize))
        delta({ type: "thinking_delta", thinking: piece });
      delta({ type: "signature_delta", signature: signatureOf(c) });
      stop();
    }
    if (c.text !== "" || c.toolCalls.length === 0) {
      start({ type: "text", text: "" });
      for (const piece of chunkText(c.text, chunkSize)) delta({ type: "text_delta", text: piece });
      stop();
    }
    for (const call of c.toolCalls) {
      start({ type: "tool_use", id: call.id, name: call.name, input: {} });
      delta({ type: "input_json_delta", partial_json: "" });
      for (const fragment of chunkText(JSON.stringify(call.arguments), ARGUMENT_FRAGMENT)) {
        delta({ type: "input_json_delta", partial_json: fragment });
      }
      stop();
    }
    frames.push(
      event(
        "message_delta",
        JSON.stringify({
          type: "message_delta",
          delta: { stop_reason: c.finishReason, stop_sequence: null },
          usage: usageOf(c),
        }),
      ),
    );
    frames.push(event("message_stop", '{"type":"message_stop"}'));
    return frames;
  },

  frameFixture(lines) {
    return lines.map((line) => {
      const parsed: unknown = JSON.parse(line);
      const type = isRecord(parsed) && typeof parsed.type === "string" ? parsed.type : "message";
      return event(type, line);
    });
  },

  errorBody(status, reply: MockErrorReply, requestId, message) {
    if (reply.body !== undefined) return reply.body;
    const shape = errorShape(status);
    return errorEnvelope(shape.type, message ?? shape.message, requestId);
  },

  errorHeaders(status, requestId, reply) {
    return {
      ...retryAfterHeaders(reply),
      "content-type": JSON_TYPE,
      "request-id": requestId,
      ...(status === 429
        ? {
            "anthropic-ratelimit-requests-limit": "4000",
            "anthropic-ratelimit-requests-remaining": "0",
          }
        : {}),
    };
  },

  midStreamErrorFrame(requestId) {
    return event(
      "error",
      JSON.stringify(errorEnvelope("overloaded_error", "Overloaded", requestId)),
    );
  },

  malformedFrame: () =>
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"cut\n\n',

  modelsBody() {
    const data = [
      ["claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"],
      ["claude-haiku-4-5-20251001", "Claude Haiku 4.5"],
      ["claude-opus-4-1-20250805", "Claude Opus 4.1"],
    ].map(([id, name]) => ({
      type: "model",
      id,
      display_name: name,
      created_at: "2025-09-29T00:00:00Z",
    }));
    return { data, has_more: false, first_id: data[0]?.id, last_id: data[data.length - 1]?.id };
  },

  notFound() {
    return { status: 404, body: errorEnvelope("not_found_error", "Not Found", "") };
  },
};

function toolChoiceOf(choice: unknown): NormalizedToolChoice {
  if (!isRecord(choice)) return { type: "auto" };
  if (choice.type === "none") return { type: "none" };
  if (choice.type === "any") return { type: "required" };
  if (choice.type === "tool" && typeof choice.name === "string")
    return { type: "tool", name: choice.name };
  return { type: "auto" };
}

function usageOf(c: ResolvedCompletion) {
  return {
    input_tokens: c.usage.input,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: c.usage.cached,
    output_tokens: c.usage.output,
  };
}

function signatureOf(c: ResolvedCompletion): string {
  return `EqQBCkYIBxgCKkB${c.id.slice(-16)}mock`;
}
