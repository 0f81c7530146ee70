import {
  type AssistantContentPart,
  type CacheScope,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  callJSON,
  driveStream,
  generateId,
  type LLMClient,
  ParseError,
  parseToolArguments,
  providerCacheScope,
  type ResponseFormat,
  type ResponseLimits,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type ToolCall,
  type Transport,
} from "@llm/core";
import {
  type BedrockRequestBody,
  type BedrockResponseFormat,
  isBedrockResponse,
} from "./bedrock-api.js";
import { mapBedrockError } from "./bedrock-error.js";
import { BedrockStreamEvents } from "./bedrock-stream-events.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import { convertToBedrockMessages } from "./convert-to-bedrock-messages.js";
import { mapBedrockFinishReason } from "./map-bedrock-finish-reason.js";

/** Everything a client needs, resolved once by `createBedrock`. */
export interface BedrockChatClientConfig {
  model?: string;
  /** Full URL of the chat endpoint. */
  url: string;
  /** Static headers (auth, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  /** Bounds on answers (`ResponseLimits`); unset ones take core's defaults. */
  limits?: ResponseLimits;
}

/** Registry key, `provider` on responses and errors, and the `providerOptions` key. */
const PROVIDER = "bedrock";
const STREAM_OPTIONS = { include_usage: true } as const;

/**
 * `LLMClient` for Bedrock. Hot path: one object literal for the body, one
 * `JSON.stringify` (in `callJSON`), one `JSON.parse`, a field-by-field read.
 * `callJSON` and `driveStream` (from `@llm/core`) carry the call's signal,
 * timeouts, per-call headers and response limits, and end the HTTP request
 * when a stream's consumer breaks out of its loop.
 */
export class BedrockChatClient implements LLMClient {
  readonly provider = PROVIDER;
  readonly model?: string;
  /**
   * Who answers (endpoint, account-selecting headers), for response caches: keys are scoped
   * to it, so two accounts or servers never share an answer. Credentials are kept out of it
   * (see @llm/core's `providerCacheScope`).
   */
  readonly cacheScope: CacheScope;
  readonly #config: BedrockChatClientConfig;

  constructor(config: BedrockChatClientConfig) {
    this.#config = config;
    this.cacheScope = providerCacheScope({
      provider: PROVIDER,
      baseURL: config.url,
      headers: config.headers,
    });
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): BedrockRequestBody {
    const model = requireModel(PROVIDER, request.model, this.#config.model);
    const body: BedrockRequestBody = {
      model,
      messages: convertToBedrockMessages(request.messages),
    };
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
    if (request.tools && request.tools.length > 0) {
      body.tools = request.tools.map((tool) => ({
        type: "function",
        function:
          tool.description === undefined
            ? { name: tool.name, parameters: tool.parameters }
            : { name: tool.name, description: tool.description, parameters: tool.parameters },
      }));
    }
    if (request.responseFormat !== undefined)
      body.response_format = convertResponseFormat(request.responseFormat);
    if (stream) {
      body.stream = true;
      body.stream_options = STREAM_OPTIONS;
    }
    const extra = request.providerOptions?.[PROVIDER];
    if (extra) Object.assign(body, extra);
    return body;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const result = await callJSON(this.#config.transport, this.#send(body), options);
    return parseResponse(result.value, result.headers, body.model);
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    // `driveStream` builds the body at the first `next()`, so a bad request rejects the iteration.
    return driveStream(this.#config.transport, options, "sse", () => {
      const body = this.buildRequestBody(request, true);
      return {
        send: this.#send(body),
        open: (headers) => new BedrockStreamEvents(body.model, headers),
      };
    });
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(body: BedrockRequestBody): SendOptions {
    const config = this.#config;
    const send: SendOptions = {
      provider: PROVIDER,
      url: config.url,
      headers: config.headers,
      body,
      mapError: mapBedrockError,
    };
    if (config.limits !== undefined) send.limits = config.limits;
    return send;
  }
}

function parseResponse(
  value: unknown,
  headers: Record<string, string>,
  model: string,
): ChatResponse {
  const choice = isBedrockResponse(value) ? value.choices[0] : undefined;
  if (!isBedrockResponse(value) || choice === undefined) {
    throw new ParseError("bedrock returned a body that is not a chat completion", {
      where: "response body",
      provider: PROVIDER,
    });
  }
  const text = choice.message.content ?? "";
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call) => ({
    id: call.id ?? generateId("call"),
    name: call.function?.name ?? "",
    input: parseToolArguments(call.function?.arguments ?? ""),
  }));
  const content: AssistantContentPart[] = text ? [{ type: "text", text }] : [];
  for (const call of toolCalls) {
    content.push({
      type: "tool-call",
      toolCallId: call.id,
      toolName: call.name,
      input: call.input,
    });
  }
  const raw = choice.finish_reason ?? undefined;
  const response: ChatResponse = {
    id: value.id ?? generateId(PROVIDER),
    model: value.model ?? model,
    provider: PROVIDER,
    text,
    content,
    toolCalls,
    finishReason: mapBedrockFinishReason(raw),
    usage: convertBedrockUsage(value.usage),
    origin: { type: "upstream" },
  };
  if (raw) response.rawFinishReason = raw;
  const requestId = headers["x-request-id"];
  if (requestId !== undefined) response.requestId = requestId;
  return response;
}

function convertResponseFormat(format: ResponseFormat): BedrockResponseFormat {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json":
      return { type: "json_object" };
    case "json_schema":
      return {
        type: "json_schema",
        json_schema: { name: format.name, schema: format.schema, strict: format.strict ?? true },
      };
  }
}
