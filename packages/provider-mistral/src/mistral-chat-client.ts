import {
  type AssistantContentPart,
  allowsStrictMode,
  type CacheScope,
  type CallOptions,
  type CallWarning,
  type ChatRequest,
  type ChatResponse,
  callJSON,
  driveStream,
  generateId,
  readNullableString,
  readOptionalString,
  type HttpErrorInfo,
  type LLMClient,
  type LLMError,
  ParseError,
  parseToolArguments,
  providerCacheScope,
  type RequestDefaults,
  type ResponseFormat,
  type ResponseLimits,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
  type Transport,
  unsupportedSettings,
  wireShapeError,
  withFinishWarnings,
} from "@llm/core";
import { convertMistralUsage } from "./convert-mistral-usage.js";
import { convertToMistralMessages } from "./convert-to-mistral-messages.js";
import { mapMistralFinishReason } from "./map-mistral-finish-reason.js";
import {
  isMistralChatResponse,
  type MistralChatRequestBody,
  type MistralContent,
  type MistralResponseFormatParam,
  type MistralToolCall,
  type MistralToolChoiceParam,
  type MistralToolParam,
} from "./mistral-api.js";
import { PROVIDER } from "./mistral-connection.js";
import { mistralErrorFromResponse } from "./mistral-error.js";
import { MistralStreamEvents, thinkingText } from "./mistral-stream-events.js";
import { readMistralRateLimitHeaders } from "./read-mistral-rate-limit-headers.js";

/** Request fields that `settings.defaults` may fill when a request leaves them undefined. */
export type MistralRequestDefaults = Omit<RequestDefaults, "topK">;

/** Everything a client needs, resolved once by `createMistral`. */
export interface MistralChatClientConfig {
  model?: string;
  /** Full URL of `/v1/chat/completions`. */
  url: string;
  /** Static headers (auth, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  /** Bounds on answers (`ResponseLimits`); unset ones take core's defaults. */
  limits?: ResponseLimits;
  defaults?: MistralRequestDefaults;
  /** `safe_prompt` on every request. */
  safePrompt?: boolean;
}

/**
 * `LLMClient` on Mistral's chat completions API.
 *
 * Hot path (`generate`): one object literal for the body, one `JSON.stringify`
 * (in `callJSON`), one `JSON.parse`, then a field-by-field read of the answer.
 * `callJSON` and `driveStream` carry the call's signal, timeouts, per-call
 * headers and response limits, and end the HTTP request when a stream's
 * consumer leaves its loop.
 */
export class MistralChatClient implements LLMClient {
  readonly provider = PROVIDER;
  readonly model?: string;
  /** Who answers (endpoint, account headers, defaults), for response caches; no secret in it. */
  readonly cacheScope: CacheScope;
  readonly #config: MistralChatClientConfig;
  readonly #mapError = (info: HttpErrorInfo): LLMError =>
    mistralErrorFromResponse(info.status, info.headers, info.bodyText);

  constructor(config: MistralChatClientConfig) {
    this.#config = config;
    const defaults: Record<string, unknown> = { ...config.defaults };
    if (config.safePrompt !== undefined) defaults.safePrompt = config.safePrompt;
    this.cacheScope = providerCacheScope({
      provider: PROVIDER,
      baseURL: config.url,
      headers: config.headers,
      ...(Object.keys(defaults).length === 0 ? {} : { defaults }),
    });
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): MistralChatRequestBody {
    const config = this.#config;
    const model = requireModel(PROVIDER, request.model, config.model);
    const body: MistralChatRequestBody = {
      model,
      messages: convertToMistralMessages(request.messages),
    };
    const d = config.defaults;
    const temperature = request.temperature ?? d?.temperature;
    if (temperature !== undefined) body.temperature = temperature;
    const topP = request.topP ?? d?.topP;
    if (topP !== undefined) body.top_p = topP;
    const maxTokens = request.maxTokens ?? d?.maxTokens;
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    const stop = request.stop ?? d?.stop;
    if (stop !== undefined && stop.length > 0) body.stop = stop;
    const seed = request.seed ?? d?.seed;
    if (seed !== undefined) body.random_seed = seed;
    const presencePenalty = request.presencePenalty ?? d?.presencePenalty;
    if (presencePenalty !== undefined) body.presence_penalty = presencePenalty;
    const frequencyPenalty = request.frequencyPenalty ?? d?.frequencyPenalty;
    if (frequencyPenalty !== undefined) body.frequency_penalty = frequencyPenalty;
    if (request.tools !== undefined && request.tools.length > 0) {
      body.tools = request.tools.map(convertTool);
    }
    if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
    if (request.responseFormat !== undefined) {
      body.response_format = convertResponseFormat(request.responseFormat);
    }
    if (config.safePrompt !== undefined) body.safe_prompt = config.safePrompt;
    // Mistral always ends a stream with usage: it has (and accepts) no `stream_options`.
    if (stream) body.stream = true;
    const extra = request.providerOptions?.[PROVIDER];
    if (extra !== undefined) Object.assign(body, extra);
    return body;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const result = await callJSON(this.#config.transport, this.#send(body), options);
    let response: ChatResponse;
    try {
      response = parseResponse(result.value, result.headers, body.model);
    } catch (error) {
      throw wireShapeError(error, this.provider, "response body");
    }
    const warnings = warningsFor(request);
    if (warnings.length > 0) response.warnings = warnings;
    return response;
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    // `driveStream` builds the body at the first `next()`, so a bad request rejects the iteration.
    const events = driveStream(this.#config.transport, options, "sse", () => {
      const body = this.buildRequestBody(request, true);
      return {
        send: this.#send(body),
        open: (headers) => new MistralStreamEvents(PROVIDER, body.model, headers),
      };
    });
    const warnings = warningsFor(request);
    return warnings.length > 0 ? withFinishWarnings(events, warnings) : events;
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(body: MistralChatRequestBody): SendOptions {
    const config = this.#config;
    const send: SendOptions = {
      provider: PROVIDER,
      url: config.url,
      headers: config.headers,
      body,
      mapError: this.#mapError,
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
  if (!isMistralChatResponse(value)) {
    throw new ParseError(`${PROVIDER} returned a body that is not a chat completion`, {
      where: "response body",
      provider: PROVIDER,
    });
  }
  const choice = value.choices[0];
  if (choice === undefined) {
    throw new ParseError(`${PROVIDER} returned a chat completion without choices`, {
      where: "response body .choices",
      provider: PROVIDER,
    });
  }
  const message = choice.message;
  const { text, reasoning } = readContent(message.content);
  const content: AssistantContentPart[] = [];
  if (reasoning) content.push({ type: "reasoning", text: reasoning });
  if (text) content.push({ type: "text", text });
  const toolCalls: ToolCall[] = [];
  for (const wire of message.tool_calls ?? []) {
    const call = toToolCall(wire);
    toolCalls.push(call);
    content.push({
      type: "tool-call",
      toolCallId: call.id,
      toolName: call.name,
      input: call.input,
    });
  }
  const raw = readOptionalString(choice.finish_reason);
  const response: ChatResponse = {
    id: readOptionalString(value.id) ?? generateId("cmpl"),
    model: readOptionalString(value.model) ?? model,
    provider: PROVIDER,
    text,
    content,
    toolCalls,
    finishReason: mapMistralFinishReason(raw),
    usage: convertMistralUsage(value.usage),
    origin: { type: "upstream" },
  };
  if (reasoning) response.reasoning = reasoning;
  if (raw) response.rawFinishReason = raw;
  const requestId = headers["x-request-id"];
  if (requestId !== undefined) response.requestId = requestId;
  const rateLimit = readMistralRateLimitHeaders(headers);
  if (rateLimit !== undefined) response.rateLimit = rateLimit;
  return response;
}

/** A message's content: a string, or chunks of text and (Magistral) thinking. */
function readContent(content: MistralContent | undefined): { text: string; reasoning: string } {
  let text = "";
  let reasoning = "";
  if (!Array.isArray(content)) {
    // A string, or absent; anything else (a number, an object) is a ParseError.
    text = readNullableString(content, PROVIDER, "choices[0].message.content") ?? "";
  } else {
    for (const chunk of content) {
      if (chunk.type === "thinking") reasoning += thinkingText(chunk.thinking);
      else if (typeof chunk.text === "string") text += chunk.text;
    }
  }
  return { text, reasoning };
}

/** Request fields Mistral has no field for: dropped from the body, reported as warnings. */
function warningsFor(request: ChatRequest): CallWarning[] {
  return unsupportedSettings(request, ["topK"], "Mistral's chat completions have no top_k");
}

function toToolCall(call: MistralToolCall): ToolCall {
  const args = call.function?.arguments;
  return {
    id:
      readNullableString(call.id, PROVIDER, "choices[0].message.tool_calls[].id") ??
      generateId("call"),
    name:
      readNullableString(
        call.function?.name,
        PROVIDER,
        "choices[0].message.tool_calls[].function.name",
      ) ?? "",
    // Mistral may send arguments as a JSON string or (rarely) an object.
    input:
      typeof args === "string" || args === undefined
        ? parseToolArguments(args ?? "")
        : parseToolArguments(JSON.stringify(args)),
  };
}

function convertTool(tool: ToolDefinition): MistralToolParam {
  const fn: MistralToolParam["function"] =
    tool.description === undefined
      ? { name: tool.name, parameters: tool.parameters }
      : { name: tool.name, description: tool.description, parameters: tool.parameters };
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return { type: "function", function: fn };
}

/** `required` is sent as `any`, Mistral's documented value for "must call a tool". */
function convertToolChoice(choice: ToolChoice): MistralToolChoiceParam {
  if (choice === "required") return "any";
  return typeof choice === "string"
    ? choice
    : { type: "function", function: { name: choice.name } };
}

function convertResponseFormat(format: ResponseFormat): MistralResponseFormatParam {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json":
      return { type: "json_object" };
    case "json_schema": {
      const jsonSchema: Extract<
        MistralResponseFormatParam,
        { type: "json_schema" }
      >["json_schema"] = {
        name: format.name,
        schema: format.schema,
        strict: format.strict ?? allowsStrictMode(format.schema),
      };
      if (format.description !== undefined) jsonSchema.description = format.description;
      return { type: "json_schema", json_schema: jsonSchema };
    }
  }
}
