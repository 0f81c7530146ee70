import {
  type AssistantContentPart,
  type CacheScope,
  type CallOptions,
  type CallWarning,
  type ChatRequest,
  type ChatResponse,
  callJSON,
  driveStream,
  generateId,
  isRecord,
  type JsonValue,
  type LLMClient,
  ParseError,
  providerCacheScope,
  type RequestDefaults,
  type ResponseLimits,
  requestFieldWriter,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type ToolCall,
  type Transport,
  wireShapeError,
  withResponseWarnings,
  withStreamWarnings,
} from "@llm/core";
import { convertOllamaToolCall } from "./convert-ollama-tool-call.js";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { convertToOllamaMessages } from "./convert-to-ollama-messages.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import {
  asOllamaResponse,
  isOllamaErrorBody,
  type OllamaChatRequestBody,
  type OllamaOptions,
} from "./ollama-api.js";
import { mapOllamaError, mapOllamaStreamError } from "./ollama-error.js";
import { OllamaStreamEvents } from "./ollama-stream-events.js";

/** Request fields that `settings.defaults` may fill when a request leaves them undefined: all of core's. */
export type OllamaRequestDefaults = RequestDefaults;

/** Everything a client needs, resolved once by `createOllama`. */
export interface OllamaChatClientConfig {
  model?: string;
  /** Full URL of `/api/chat`. */
  url: string;
  /** Static headers (optional bearer for a proxy, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  /** Bounds on answers (`ResponseLimits`); unset ones take core's defaults. */
  limits?: ResponseLimits;
  defaults?: OllamaRequestDefaults;
}

/** Sampling fields live in `options`, under Ollama's (llama.cpp's) names. */
const writeOptions = requestFieldWriter<OllamaOptions>({
  temperature: "temperature",
  topP: "top_p",
  topK: "top_k",
  maxTokens: "num_predict",
  stop: "stop",
  seed: "seed",
  frequencyPenalty: "frequency_penalty",
  presencePenalty: "presence_penalty",
});

const UPSTREAM = Object.freeze({ type: "upstream" as const });

/**
 * `LLMClient` on Ollama's `/api/chat`: `stream: false` JSON for `generate`,
 * NDJSON for `stream`. Hot path: one object literal for the body, one
 * `JSON.stringify`, one `JSON.parse` (per line when streaming).
 */
export class OllamaChatClient implements LLMClient {
  readonly provider = "ollama";
  readonly model?: string;
  /** Who answers (endpoint, account headers, defaults), for response caches; no secret in it. */
  readonly cacheScope: CacheScope;
  readonly #config: OllamaChatClientConfig;

  constructor(config: OllamaChatClientConfig) {
    this.#config = config;
    this.cacheScope = providerCacheScope({
      provider: this.provider,
      baseURL: config.url,
      headers: config.headers,
      ...(config.defaults === undefined ? {} : { defaults: { ...config.defaults } }),
    });
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): OllamaChatRequestBody {
    const model = requireModel("ollama", request.model, this.#config.model);
    const body: OllamaChatRequestBody = {
      model,
      messages: convertToOllamaMessages(request.messages),
      stream,
    };
    // Ollama has no tool_choice: "none" is honoured by not offering the tools.
    if (request.tools && request.tools.length > 0 && request.toolChoice !== "none") {
      body.tools = request.tools.map((tool) => ({
        type: "function",
        function:
          tool.description === undefined
            ? { name: tool.name, parameters: tool.parameters }
            : { name: tool.name, description: tool.description, parameters: tool.parameters },
      }));
    }
    const format = request.responseFormat;
    if (format?.type === "json") body.format = "json";
    else if (format?.type === "json_schema") body.format = format.schema;

    const options = this.#options(request);
    const extra = request.providerOptions?.ollama;
    if (extra) {
      for (const key in extra) {
        const value = extra[key] as JsonValue;
        if (key === "options" && isRecord(value)) Object.assign(options, value);
        else body[key] = value;
      }
    }
    for (const _ in options) {
      body.options = options;
      break;
    }
    return body;
  }

  #options(request: ChatRequest): OllamaOptions {
    const options: OllamaOptions = {};
    writeOptions(options, request, this.#config.defaults);
    return options;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const result = await callJSON(this.#config.transport, this.#send(body), options);
    const value = result.value;
    // Ollama can answer 200 with an error body (e.g. a model that fails to load).
    if (isOllamaErrorBody(value))
      throw mapOllamaStreamError(value.error, result.headers, body.model);
    let response: ChatResponse;
    try {
      response = toChatResponse(
        asOllamaResponse(value, "response body"),
        body.model,
        result.headers,
      );
    } catch (error) {
      throw wireShapeError(error, "ollama", "response body");
    }
    return withResponseWarnings(response, warningsFor(request));
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const events = driveStream(this.#config.transport, options, "ndjson", () => {
      const body = this.buildRequestBody(request, true);
      return {
        send: this.#send(body),
        open: (headers) => new OllamaStreamEvents(body.model, headers),
      };
    });
    return withStreamWarnings(events, warningsFor(request));
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(body: OllamaChatRequestBody): SendOptions {
    const model = body.model;
    return {
      provider: "ollama",
      url: this.#config.url,
      headers: this.#config.headers,
      body,
      mapError: (info) => mapOllamaError(info, model),
      ...(this.#config.limits === undefined ? {} : { limits: this.#config.limits }),
    };
  }
}

/**
 * Ollama has no `tool_choice`: "auto" is its only behaviour and "none" is
 * honoured by not offering the tools, but a forced choice ("required", a
 * named tool) cannot be passed on, so the caller is told.
 */
function warningsFor(request: ChatRequest): CallWarning[] {
  const choice = request.toolChoice;
  if (choice === undefined || choice === "auto" || choice === "none") return [];
  return [
    {
      type: "unsupported-setting",
      setting: "toolChoice",
      details: "Ollama cannot force a tool call; the model chooses",
    },
  ];
}

function toChatResponse(
  value: ReturnType<typeof asOllamaResponse>,
  model: string,
  headers: Record<string, string>,
): ChatResponse {
  const message = value.message;
  const text = message?.content ?? "";
  if (typeof text !== "string") {
    throw new ParseError("ollama returned message content that is not text", {
      where: "response body .message.content",
      provider: "ollama",
    });
  }
  const reasoning = message?.thinking ?? "";
  const toolCalls: ToolCall[] = message?.tool_calls
    ? message.tool_calls.map(convertOllamaToolCall)
    : [];
  const content: AssistantContentPart[] = [];
  if (reasoning) content.push({ type: "reasoning", text: reasoning });
  if (text) content.push({ type: "text", text });
  for (const call of toolCalls) {
    content.push({
      type: "tool-call",
      toolCallId: call.id,
      toolName: call.name,
      input: call.input,
    });
  }
  const raw = value.done_reason;
  const response: ChatResponse = {
    id: generateId("ollama"),
    model: value.model ?? model,
    provider: "ollama",
    text,
    content,
    toolCalls,
    finishReason: mapOllamaFinishReason(raw, toolCalls.length > 0),
    usage: convertOllamaUsage(value),
    origin: UPSTREAM,
  };
  if (reasoning) response.reasoning = reasoning;
  if (raw !== undefined) response.rawFinishReason = raw;
  const requestId = headers["x-request-id"];
  if (requestId !== undefined) response.requestId = requestId;
  return response;
}
