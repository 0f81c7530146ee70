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
  ParseError,
  providerCacheScope,
  type ResponseFormat,
  type ResponseLimits,
  readNullableObject,
  readNullableString,
  readOptionalObject,
  readOptionalString,
  readRateLimitHeaders,
  readString,
  requestFieldWriter,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
  type Transport,
  unsupportedSettings,
  wireShapeError,
  withResponseWarnings,
  withStreamWarnings,
} from "@llm/core";
import {
  type AnthropicMessage,
  type AnthropicMessagesRequestBody,
  type AnthropicToolChoiceParam,
  type AnthropicToolParam,
  isAnthropicMessage,
} from "./anthropic-api.js";
import { anthropicErrorFromResponse } from "./anthropic-error.js";
import { AnthropicStreamEvents, JSON_TOOL_NAME } from "./anthropic-stream-events.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";
import { convertToAnthropicMessages } from "./convert-to-anthropic-messages.js";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.js";

export { JSON_TOOL_NAME };

/** `max_tokens` is required by the Messages API; this is sent when neither request nor defaults set it. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Request fields that `settings.defaults` may fill when a request leaves them undefined. */
export interface AnthropicRequestDefaults {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string[];
}

/** Everything a client needs, resolved once by `createAnthropic`. */
export interface AnthropicChatClientConfig {
  model?: string;
  /** Full URL of `/v1/messages`. */
  url: string;
  /** Static headers (`x-api-key`, `anthropic-version`, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  /** Bounds on answers (`ResponseLimits`); unset ones take core's defaults. */
  limits?: ResponseLimits;
  defaults?: AnthropicRequestDefaults;
}

const PROVIDER = "anthropic";

/** The Messages API's names; `seed` and the penalties have none (see `warningsFor`). */
const writeFields = requestFieldWriter<AnthropicMessagesRequestBody>({
  maxTokens: "max_tokens",
  temperature: "temperature",
  topP: "top_p",
  topK: "top_k",
  stop: "stop_sequences",
  tools: { key: "tools", convert: (tools) => tools.map(convertTool) },
  toolChoice: { key: "tool_choice", convert: convertToolChoice },
});

function mapError(info: HttpErrorInfo) {
  return anthropicErrorFromResponse(info.status, info.headers, info.bodyText);
}

/**
 * `LLMClient` on the Anthropic Messages API.
 *
 * JSON output (`responseFormat` `json` / `json_schema`) uses the documented
 * tool approach: a tool named `json` whose `input_schema` is the schema,
 * forced with `tool_choice`; its input comes back as the response `text`
 * (and as `text-delta`s when streaming), with finish reason `stop`.
 */
export class AnthropicChatClient implements LLMClient {
  readonly provider = PROVIDER;
  readonly model?: string;
  /** Who answers (endpoint, account headers, defaults), for response caches; no secret in it. */
  readonly cacheScope: CacheScope;
  readonly #config: AnthropicChatClientConfig;

  constructor(config: AnthropicChatClientConfig) {
    this.#config = config;
    this.cacheScope = providerCacheScope({
      provider: PROVIDER,
      baseURL: config.url,
      headers: config.headers,
      ...(config.defaults === undefined ? {} : { defaults: { ...config.defaults } }),
    });
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): AnthropicMessagesRequestBody {
    const config = this.#config;
    const model = requireModel(PROVIDER, request.model, config.model);
    const prompt = convertToAnthropicMessages(request.messages);
    // `max_tokens` is required: seeded here (its place in the key order), overwritten when set.
    const body: AnthropicMessagesRequestBody = {
      model,
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: prompt.messages,
    };
    if (prompt.system !== undefined) body.system = prompt.system;
    writeFields(body, request, config.defaults);
    const hasTools = body.tools !== undefined;
    const jsonTool = jsonToolFor(request.responseFormat);
    if (jsonTool !== undefined) {
      if (body.tools === undefined) body.tools = [jsonTool];
      else body.tools.push(jsonTool);
      // Alone, the json tool is forced; beside real tools the model must call one of them.
      body.tool_choice ??= hasTools ? { type: "any" } : { type: "tool", name: JSON_TOOL_NAME };
    }
    if (stream) body.stream = true;
    const extra = request.providerOptions?.anthropic;
    if (extra !== undefined) Object.assign(body, extra);
    return body;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const result = await callJSON(this.#config.transport, this.#send(body), options);
    let response: ChatResponse;
    try {
      response = parseMessage(result.value, result.headers, body.model, usesJsonTool(request));
    } catch (error) {
      throw wireShapeError(error, PROVIDER, "response body");
    }
    return withResponseWarnings(response, warningsFor(request));
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const events = driveStream(this.#config.transport, options, "sse", () => {
      const body = this.buildRequestBody(request, true);
      return {
        send: this.#send(body),
        open: (headers) => new AnthropicStreamEvents(body.model, headers, usesJsonTool(request)),
      };
    });
    return withStreamWarnings(events, warningsFor(request));
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(body: AnthropicMessagesRequestBody): SendOptions {
    return {
      provider: PROVIDER,
      url: this.#config.url,
      headers: this.#config.headers,
      body,
      mapError,
      ...(this.#config.limits === undefined ? {} : { limits: this.#config.limits }),
    };
  }
}

/** Request fields the Messages API has no parameter for: left out of the body, reported as warnings. */
function warningsFor(request: ChatRequest): CallWarning[] {
  return unsupportedSettings(
    request,
    ["seed", "frequencyPenalty", "presencePenalty"],
    "the Messages API has no such parameter",
  );
}

function usesJsonTool(request: ChatRequest): boolean {
  const format = request.responseFormat;
  return format !== undefined && format.type !== "text";
}

function jsonToolFor(format: ResponseFormat | undefined): AnthropicToolParam | undefined {
  if (format === undefined || format.type === "text") return undefined;
  if (format.type === "json") {
    return {
      name: JSON_TOOL_NAME,
      description: "Respond with a JSON object.",
      input_schema: { type: "object" },
    };
  }
  return {
    name: JSON_TOOL_NAME,
    description: format.description ?? `Respond with JSON matching the "${format.name}" schema.`,
    input_schema: format.schema,
  };
}

function convertTool(tool: ToolDefinition): AnthropicToolParam {
  const out: AnthropicToolParam = { name: tool.name, input_schema: tool.parameters };
  if (tool.description !== undefined) out.description = tool.description;
  return out;
}

function convertToolChoice(choice: ToolChoice): AnthropicToolChoiceParam {
  switch (choice) {
    case "auto":
      return { type: "auto" };
    case "none":
      return { type: "none" };
    case "required":
      return { type: "any" };
    default:
      return { type: "tool", name: choice.name };
  }
}

/** A whole Messages API answer → `ChatResponse`. */
export function parseMessage(
  value: unknown,
  headers: Record<string, string>,
  model: string,
  jsonTool: boolean,
): ChatResponse {
  if (!isAnthropicMessage(value)) {
    throw new ParseError(`${PROVIDER} returned a body that is not a message`, {
      where: "response body",
      provider: PROVIDER,
    });
  }
  const content: AssistantContentPart[] = [];
  const toolCalls: ToolCall[] = [];
  let text = "";
  let reasoning = "";
  const blocks = value.content;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i] as AnthropicMessage["content"][number];
    switch (block.type) {
      case "text": {
        const t = readString((block as { text?: unknown }).text, PROVIDER, "content[].text");
        text += t;
        content.push({ type: "text", text: t });
        break;
      }
      case "thinking": {
        const b = block as { thinking?: unknown; signature?: unknown };
        const thinking = readString(b.thinking, PROVIDER, "content[].thinking");
        const signature = readNullableString(b.signature, PROVIDER, "content[].signature");
        reasoning += thinking;
        content.push(
          signature === undefined
            ? { type: "reasoning", text: thinking }
            : { type: "reasoning", text: thinking, signature },
        );
        break;
      }
      case "tool_use": {
        const b = block as { id?: unknown; name?: unknown; input?: unknown };
        const id = readString(b.id, PROVIDER, "content[].id");
        const name = readString(b.name, PROVIDER, "content[].name");
        const input = readNullableObject(b.input, PROVIDER, "content[].input") ?? {};
        if (jsonTool && name === JSON_TOOL_NAME) {
          const json = JSON.stringify(input);
          text += json;
          content.push({ type: "text", text: json });
          break;
        }
        toolCalls.push({ id, name, input });
        content.push({ type: "tool-call", toolCallId: id, toolName: name, input });
        break;
      }
      default:
        break; // redacted_thinking, server tools: not part of the neutral response
    }
  }
  const raw = readOptionalString(value.stop_reason);
  const response: ChatResponse = {
    id: readOptionalString(value.id) ?? generateId("msg"),
    model: readOptionalString(value.model) ?? model,
    provider: PROVIDER,
    text,
    content,
    toolCalls,
    finishReason: mapAnthropicFinishReason(raw, jsonTool && toolCalls.length === 0),
    usage: convertAnthropicUsage(value.usage),
    origin: { type: "upstream" },
  };
  if (reasoning) response.reasoning = reasoning;
  if (raw) response.rawFinishReason = raw;
  const requestId = headers["request-id"];
  if (requestId !== undefined) response.requestId = requestId;
  const rateLimit = readRateLimitHeaders(headers);
  if (rateLimit !== undefined) response.rateLimit = rateLimit;
  // Metadata: an object by the API (`{ type: "refusal", category, … }`); anything else is dropped.
  const stopDetails = readOptionalObject(value.stop_details);
  if (stopDetails !== undefined) response.providerMetadata = { stopDetails };
  return response;
}
