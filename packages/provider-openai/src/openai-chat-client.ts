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
  type HttpErrorInfo,
  type JsonValue,
  type LLMClient,
  type LLMError,
  ParseError,
  parseToolArguments,
  providerCacheScope,
  type RequestFieldWriter,
  type ResponseLimits,
  readNullableString,
  readOptionalString,
  readRateLimitHeaders,
  requestFieldWriter,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type ToolCall,
  type Transport,
  toFunctionToolChoiceParam,
  toFunctionToolParams,
  toResponseFormatParam,
  unsupportedSettings,
  wireShapeError,
  withResponseWarnings,
  withStreamWarnings,
} from "@llm/core";
import { convertOpenAIUsage } from "./convert-openai-usage.js";
import { convertToOpenAIMessages } from "./convert-to-openai-messages.js";
import { mapOpenAIFinishReason } from "./map-openai-finish-reason.js";
import {
  isOpenAIChatResponse,
  type OpenAIChatRequestBody,
  type OpenAIChatResponse,
  type OpenAIToolCall,
} from "./openai-api.js";
import { openAIErrorFromResponse } from "./openai-error.js";
import {
  OpenAIStreamEvents,
  type OpenAIStreamEventsOptions,
  type OpenAIStreamMetadataReader,
} from "./openai-stream-events.js";

/** Request fields that `settings.defaults` may fill when a request leaves them undefined. */
export interface OpenAIRequestDefaults {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
}

/** Everything a client needs, resolved once by `createOpenAI`. */
export interface OpenAIChatClientConfig {
  /** Reported as `provider` on responses, events and errors. */
  provider: string;
  model?: string;
  /** Full URL of `/chat/completions`. */
  url: string;
  /** Static headers (auth, organization, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  /** Bounds on answers (`ResponseLimits`); unset ones take core's defaults. */
  limits?: ResponseLimits;
  defaults?: OpenAIRequestDefaults;
  /** Send `stream_options: { include_usage: true }` on streams. */
  streamOptions: boolean;
  maxTokensField: "max_tokens" | "max_completion_tokens";
  /** Keys of `request.providerOptions` merged into the body, in order. */
  providerOptionKeys: readonly string[];
  /** Maps a failed HTTP answer; default `openAIErrorFromResponse` (a server with its own error codes). */
  mapError?: (info: HttpErrorInfo) => LLMError;
  /** Extra `providerMetadata` read from a whole answer (a server's own fields, e.g. Azure's content filter). */
  responseMetadata?: (body: OpenAIChatResponse) => Record<string, JsonValue> | undefined;
  /**
   * The same fields read off a stream: a fresh reader per stream, whose result
   * goes on `finish.providerMetadata`. Give both hooks, so that a streamed
   * answer carries what the answer from `generate` does.
   */
  streamMetadata?: () => OpenAIStreamMetadataReader;
}

const STREAM_OPTIONS = { include_usage: true } as const;

/**
 * `LLMClient` on the Chat Completions API (OpenAI and every compatible server).
 *
 * Hot path (`generate`): one object literal for the body, one
 * `JSON.stringify` (in `sendJSON`), one `JSON.parse`, then a field-by-field
 * read of the answer. No schema validation, no clones, no closures per call.
 */
export class OpenAIChatClient implements LLMClient {
  readonly provider: string;
  readonly model?: string;
  /** Who answers (endpoint, account headers, defaults), for response caches; no secret in it. */
  readonly cacheScope: CacheScope;
  readonly #config: OpenAIChatClientConfig;
  readonly #mapError: (info: HttpErrorInfo) => LLMError;
  readonly #writeFields: RequestFieldWriter<OpenAIChatRequestBody>;

  constructor(config: OpenAIChatClientConfig) {
    this.#config = config;
    this.#writeFields = requestFieldWriter<OpenAIChatRequestBody>({
      temperature: "temperature",
      topP: "top_p",
      maxTokens: config.maxTokensField,
      stop: "stop",
      seed: "seed",
      frequencyPenalty: "frequency_penalty",
      presencePenalty: "presence_penalty",
      tools: { key: "tools", convert: toFunctionToolParams },
      toolChoice: { key: "tool_choice", convert: toFunctionToolChoiceParam },
      responseFormat: { key: "response_format", convert: toResponseFormatParam },
    });
    this.cacheScope = providerCacheScope({
      provider: config.provider,
      baseURL: config.url,
      headers: config.headers,
      ...(config.defaults === undefined ? {} : { defaults: { ...config.defaults } }),
    });
    this.provider = config.provider;
    if (config.model !== undefined) this.model = config.model;
    const provider = config.provider;
    this.#mapError =
      config.mapError ??
      ((info) => openAIErrorFromResponse(info.status, info.headers, info.bodyText, provider));
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): OpenAIChatRequestBody {
    const config = this.#config;
    const model = requireModel(config.provider, request.model, config.model);
    const body: OpenAIChatRequestBody = {
      model,
      messages: convertToOpenAIMessages(request.messages),
    };
    this.#writeFields(body, request, config.defaults);
    if (stream) {
      body.stream = true;
      if (config.streamOptions) body.stream_options = STREAM_OPTIONS;
    }
    const options = request.providerOptions;
    if (options !== undefined) {
      for (const key of config.providerOptionKeys) {
        const extra = options[key];
        if (extra !== undefined) Object.assign(body, extra);
      }
    }
    return body;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const result = await callJSON(this.#config.transport, this.#send(body), options);
    let response: ChatResponse;
    try {
      response = this.#parseResponse(result.value, result.headers, body.model);
    } catch (error) {
      throw wireShapeError(error, this.provider, "response body");
    }
    return withResponseWarnings(response, warningsFor(request));
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const events = driveStream(this.#config.transport, options, "sse", () => {
      const body = this.buildRequestBody(request, true);
      const provider = this.provider;
      const config = this.#config;
      return {
        send: this.#send(body),
        // A method, not an arrow in a property: a keep-names build (tsx, as the benches run)
        // would name a fresh arrow at run time on every stream.
        open(headers) {
          const options: OpenAIStreamEventsOptions = {};
          const maxBodyBytes = config.limits?.maxBodyBytes;
          if (maxBodyBytes !== undefined) options.maxRefusalLength = maxBodyBytes;
          if (config.streamMetadata !== undefined) options.metadata = config.streamMetadata();
          return new OpenAIStreamEvents(provider, body.model, headers, options);
        },
      };
    });
    return withStreamWarnings(events, warningsFor(request));
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(body: OpenAIChatRequestBody): SendOptions {
    const config = this.#config;
    const send: SendOptions = {
      provider: config.provider,
      url: config.url,
      headers: config.headers,
      body,
      mapError: this.#mapError,
    };
    // Assigned, not spread from a conditional literal: no throwaway object per call.
    if (config.limits !== undefined) send.limits = config.limits;
    return send;
  }

  #parseResponse(value: unknown, headers: Record<string, string>, model: string): ChatResponse {
    if (!isOpenAIChatResponse(value)) {
      throw new ParseError(`${this.provider} returned a body that is not a chat completion`, {
        where: "response body",
        provider: this.provider,
      });
    }
    const choice = value.choices[0];
    if (choice === undefined) {
      throw new ParseError(`${this.provider} returned a chat completion without choices`, {
        where: "response body .choices",
        provider: this.provider,
      });
    }
    const message = choice.message;
    const content: AssistantContentPart[] = [];
    const provider = this.provider;
    const reasoning =
      readNullableString(
        message.reasoning_content,
        provider,
        "choices[0].message.reasoning_content",
      ) ?? readNullableString(message.reasoning, provider, "choices[0].message.reasoning");
    if (reasoning) content.push({ type: "reasoning", text: reasoning });
    const text = readNullableString(message.content, provider, "choices[0].message.content") ?? "";
    if (text) content.push({ type: "text", text });
    const refusal = readNullableString(message.refusal, provider, "choices[0].message.refusal");
    const toolCalls: ToolCall[] = [];
    const wireCalls = message.tool_calls;
    if (wireCalls) {
      for (let i = 0; i < wireCalls.length; i++) {
        const call = toToolCall(wireCalls[i] as OpenAIToolCall, provider);
        toolCalls.push(call);
        content.push({
          type: "tool-call",
          toolCallId: call.id,
          toolName: call.name,
          input: call.input,
        });
      }
    }
    const raw = readOptionalString(choice.finish_reason);
    const response: ChatResponse = {
      id: readOptionalString(value.id) ?? generateId("chatcmpl"),
      model: readOptionalString(value.model) ?? model,
      provider: this.provider,
      text,
      content,
      toolCalls,
      finishReason: refusal ? "content-filter" : mapOpenAIFinishReason(raw),
      usage: convertOpenAIUsage(value.usage),
      origin: { type: "upstream" },
    };
    if (reasoning) response.reasoning = reasoning;
    if (raw) response.rawFinishReason = raw;
    const requestId = headers["x-request-id"];
    if (requestId !== undefined) response.requestId = requestId;
    const rateLimit = readRateLimitHeaders(headers);
    if (rateLimit !== undefined) response.rateLimit = rateLimit;
    if (refusal) response.providerMetadata = { refusal };
    const extra = this.#config.responseMetadata?.(value);
    if (extra !== undefined) response.providerMetadata = { ...response.providerMetadata, ...extra };
    return response;
  }
}

/** Request fields Chat Completions has no field for: dropped from the body, reported as warnings. */
function warningsFor(request: ChatRequest): CallWarning[] {
  return unsupportedSettings(request, ["topK"], "Chat Completions has no top_k parameter");
}

function toToolCall(call: OpenAIToolCall, provider: string): ToolCall {
  const fn = call.function;
  return {
    id:
      readNullableString(call.id, provider, "choices[0].message.tool_calls[].id") ??
      generateId("call"),
    name:
      readNullableString(fn?.name, provider, "choices[0].message.tool_calls[].function.name") ?? "",
    input: parseToolArguments(
      readNullableString(
        fn?.arguments,
        provider,
        "choices[0].message.tool_calls[].function.arguments",
      ) ?? "",
    ),
  };
}
