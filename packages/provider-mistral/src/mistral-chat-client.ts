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
  type LLMClient,
  type LLMError,
  ParseError,
  parseToolArguments,
  providerCacheScope,
  type RequestDefaults,
  type ResponseLimits,
  readNullableString,
  readOptionalString,
  requestFieldWriter,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type ToolCall,
  type ToolChoice,
  type Transport,
  toFunctionToolChoiceParam,
  toFunctionToolParams,
  toResponseFormatParam,
  unsupportedSettings,
  wireShapeError,
  withResponseWarnings,
  withStreamWarnings,
} from "@llm/core";
import { convertMistralUsage } from "./convert-mistral-usage.js";
import { convertToMistralMessages } from "./convert-to-mistral-messages.js";
import { mapMistralFinishReason } from "./map-mistral-finish-reason.js";
import {
  isMistralChatResponse,
  type MistralChatRequestBody,
  type MistralContent,
  type MistralToolCall,
  type MistralToolChoiceParam,
} from "./mistral-api.js";
import { PROVIDER } from "./mistral-connection.js";
import { mistralErrorFromResponse } from "./mistral-error.js";
import { chunkText, MistralStreamEvents, thinkingText } from "./mistral-stream-events.js";
import { readMistralRateLimitHeaders } from "./read-mistral-rate-limit-headers.js";

/** Request fields that `settings.defaults` may fill when a request leaves them undefined. */
export type MistralRequestDefaults = Omit<RequestDefaults, "topK">;

/** Mistral's wire names, in the order its SDK writes them (`seed` is `random_seed`). */
const writeFields = requestFieldWriter<MistralChatRequestBody>({
  temperature: "temperature",
  topP: "top_p",
  maxTokens: "max_tokens",
  stop: "stop",
  seed: "random_seed",
  presencePenalty: "presence_penalty",
  frequencyPenalty: "frequency_penalty",
  tools: { key: "tools", convert: toFunctionToolParams },
  toolChoice: { key: "tool_choice", convert: convertToolChoice },
  responseFormat: { key: "response_format", convert: toResponseFormatParam },
});

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
    writeFields(body, request, config.defaults);
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
    return withResponseWarnings(response, warningsFor(request));
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
    return withStreamWarnings(events, warningsFor(request));
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
      if (chunk?.type === "thinking")
        reasoning += thinkingText(chunk.thinking, "choices[0].message.content[].thinking");
      else text += chunkText(chunk, "choices[0].message.content[].text");
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

/** `required` is sent as `any`, Mistral's documented value for "must call a tool". */
function convertToolChoice(choice: ToolChoice): MistralToolChoiceParam {
  return choice === "required" ? "any" : toFunctionToolChoiceParam(choice);
}
