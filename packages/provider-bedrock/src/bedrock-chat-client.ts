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
  type JsonObject,
  type JsonValue,
  joinURL,
  type LLMClient,
  ParseError,
  type ResponseFormat,
  type ResponseLimits,
  readNullableObject,
  readNullableString,
  readOptionalString,
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
  type BedrockConverseRequestBody,
  type BedrockInferenceConfig,
  type BedrockToolChoice,
  type BedrockToolSpec,
  isBedrockConverseResponse,
} from "./bedrock-api.js";
import { mapBedrockError } from "./bedrock-error.js";
import { bedrockEventStream } from "./bedrock-event-stream.js";
import { BedrockStreamEvents, JSON_TOOL_NAME } from "./bedrock-stream-events.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import { convertToBedrockMessages } from "./convert-to-bedrock-messages.js";
import { mapBedrockFinishReason } from "./map-bedrock-finish-reason.js";

export { JSON_TOOL_NAME };

/** Request fields that `settings.defaults` may fill when a request leaves them undefined. */
export interface BedrockRequestDefaults {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
}

/** Everything a client needs, resolved once by `createBedrock`. */
export interface BedrockChatClientConfig {
  model?: string;
  /** The endpoint, e.g. `https://bedrock-runtime.us-east-1.amazonaws.com`, no trailing slash. */
  baseURL: string;
  /** Static headers (content type, custom; a bearer API key), built once. */
  headers: Record<string, string>;
  /** Signs each request (SigV4) unless the client uses a Bedrock API key. */
  transport: Transport;
  cacheScope: CacheScope;
  limits?: ResponseLimits;
  defaults?: BedrockRequestDefaults;
}

const PROVIDER = "bedrock";

/** Converse's `inferenceConfig` fields; the rest have no place in Converse (see `warningsFor`). */
const writeInferenceConfig = requestFieldWriter<BedrockInferenceConfig>({
  maxTokens: "maxTokens",
  temperature: "temperature",
  topP: "topP",
  stop: "stopSequences",
});
const EVENT_STREAM_ACCEPT = "application/vnd.amazon.eventstream";

/**
 * `LLMClient` on the Bedrock Runtime Converse API: `POST /model/{modelId}/converse`
 * for `generate`, `/converse-stream` (a binary AWS event stream, decoded by
 * `bedrockEventStream`) for `stream`. The model id is URL-encoded into the
 * path, so inference profile ids and ARNs work as they are.
 *
 * JSON output (`responseFormat` `json` / `json_schema`): Converse has no
 * response format, so — as for Anthropic — a tool named `json` whose input
 * schema is the schema is forced with `toolChoice`; its input comes back as
 * the response `text` (and `text-delta`s), with finish reason `stop`.
 */
export class BedrockChatClient implements LLMClient {
  readonly provider = PROVIDER;
  readonly model?: string;
  /** Who answers (region, endpoint, account-selecting headers, defaults); no credential in it. */
  readonly cacheScope: CacheScope;
  readonly #config: BedrockChatClientConfig;
  readonly #streamHeaders: Record<string, string>;

  constructor(config: BedrockChatClientConfig) {
    this.#config = config;
    this.cacheScope = config.cacheScope;
    this.#streamHeaders = { ...config.headers, accept: EVENT_STREAM_ACCEPT };
    if (config.model !== undefined) this.model = config.model;
  }

  /** The model id and wire body for `request`. Public so tests can see exactly what is sent. */
  buildRequestBody(request: ChatRequest): { modelId: string; body: BedrockConverseRequestBody } {
    const config = this.#config;
    const modelId = requireModel(PROVIDER, request.model, config.model);
    const prompt = convertToBedrockMessages(request.messages);
    const body: BedrockConverseRequestBody = { messages: prompt.messages };
    if (prompt.system !== undefined) body.system = prompt.system;
    const inference: BedrockInferenceConfig = {};
    if (writeInferenceConfig(inference, request, config.defaults)) body.inferenceConfig = inference;
    // Converse has no "none": a call that must not use tools is sent without them.
    const tools =
      request.toolChoice === "none" || request.tools === undefined || request.tools.length === 0
        ? undefined
        : request.tools.map(convertTool);
    const jsonTool = jsonToolFor(request.responseFormat);
    if (tools !== undefined || jsonTool !== undefined) {
      const all = tools ?? [];
      if (jsonTool !== undefined) all.push(jsonTool);
      body.toolConfig = { tools: all };
      if (tools !== undefined && request.toolChoice !== undefined && request.toolChoice !== "none")
        body.toolConfig.toolChoice = convertToolChoice(request.toolChoice);
      // Alone, the json tool is forced; beside real tools the model must call one of them.
      if (jsonTool !== undefined)
        body.toolConfig.toolChoice ??=
          tools !== undefined ? { any: {} } : { tool: { name: JSON_TOOL_NAME } };
    }
    const extra = request.providerOptions?.[PROVIDER];
    if (extra !== undefined) Object.assign(body, extra);
    return { modelId, body };
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const { modelId, body } = this.buildRequestBody(request);
    const send = this.#send(modelId, "converse", body, this.#config.headers);
    const result = await callJSON(this.#config.transport, send, options);
    let response: ChatResponse;
    try {
      response = parseConverseResponse(
        result.value,
        result.headers,
        modelId,
        usesJsonTool(request),
      );
    } catch (error) {
      throw wireShapeError(error, PROVIDER, "response body");
    }
    return withResponseWarnings(response, warningsFor(request));
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const events = driveStream(this.#config.transport, options, bedrockEventStream, () => {
      const { modelId, body } = this.buildRequestBody(request);
      return {
        send: this.#send(modelId, "converse-stream", body, this.#streamHeaders),
        open: (headers) => new BedrockStreamEvents(modelId, headers, usesJsonTool(request)),
      };
    });
    return withStreamWarnings(events, warningsFor(request));
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(
    modelId: string,
    action: "converse" | "converse-stream",
    body: BedrockConverseRequestBody,
    headers: Record<string, string>,
  ): SendOptions {
    const send: SendOptions = {
      provider: PROVIDER,
      // joinURL: a query string in baseURL (a proxy's) stays a query string.
      url: joinURL(this.#config.baseURL, `model/${encodeURIComponent(modelId)}/${action}`),
      headers,
      // A string, so the bytes signed are the bytes sent.
      body: JSON.stringify(body),
      mapError: mapBedrockError,
    };
    if (this.#config.limits !== undefined) send.limits = this.#config.limits;
    return send;
  }
}

/** Request fields Converse has no place for: left out of the body, reported as warnings. */
function warningsFor(request: ChatRequest): CallWarning[] {
  return unsupportedSettings(
    request,
    ["topK", "seed", "frequencyPenalty", "presencePenalty"],
    "Converse has no such field (model-specific ones go in providerOptions.bedrock.additionalModelRequestFields)",
  );
}

function usesJsonTool(request: ChatRequest): boolean {
  const format = request.responseFormat;
  return format !== undefined && format.type !== "text";
}

function jsonToolFor(format: ResponseFormat | undefined): BedrockToolSpec | undefined {
  if (format === undefined || format.type === "text") return undefined;
  if (format.type === "json") {
    return {
      toolSpec: {
        name: JSON_TOOL_NAME,
        description: "Respond with a JSON object.",
        inputSchema: { json: { type: "object" } },
      },
    };
  }
  return {
    toolSpec: {
      name: JSON_TOOL_NAME,
      description: format.description ?? `Respond with JSON matching the "${format.name}" schema.`,
      inputSchema: { json: format.schema as JsonObject },
    },
  };
}

function convertTool(tool: ToolDefinition): BedrockToolSpec {
  const spec: BedrockToolSpec["toolSpec"] = {
    name: tool.name,
    inputSchema: { json: tool.parameters as JsonObject },
  };
  if (tool.description !== undefined) spec.description = tool.description;
  return { toolSpec: spec };
}

function convertToolChoice(choice: Exclude<ToolChoice, "none">): BedrockToolChoice {
  switch (choice) {
    case "auto":
      return { auto: {} };
    case "required":
      return { any: {} };
    default:
      return { tool: { name: choice.name } };
  }
}

/** A whole Converse answer → `ChatResponse`. */
const REASONING_TEXT_PATH = "output.message.content[].reasoningContent.reasoningText.text";
const REASONING_SIGNATURE_PATH =
  "output.message.content[].reasoningContent.reasoningText.signature";

export function parseConverseResponse(
  value: unknown,
  headers: Record<string, string>,
  modelId: string,
  jsonTool: boolean,
): ChatResponse {
  if (!isBedrockConverseResponse(value)) {
    throw new ParseError(`${PROVIDER} returned a body that is not a Converse answer`, {
      where: "response body",
      provider: PROVIDER,
    });
  }
  const content: AssistantContentPart[] = [];
  const toolCalls: ToolCall[] = [];
  let text = "";
  let reasoning = "";
  for (const block of value.output.message.content) {
    const blockText = readNullableString(block?.text, PROVIDER, "output.message.content[].text");
    if (blockText !== undefined) {
      text += blockText;
      content.push({ type: "text", text: blockText });
    } else if (block?.toolUse !== undefined) {
      const use = block.toolUse;
      const input: JsonValue =
        readNullableObject(use?.input, PROVIDER, "output.message.content[].toolUse.input") ?? {};
      const name =
        readNullableString(use?.name, PROVIDER, "output.message.content[].toolUse.name") ?? "";
      if (jsonTool && name === JSON_TOOL_NAME) {
        const json = JSON.stringify(input);
        text += json;
        content.push({ type: "text", text: json });
        continue;
      }
      const id =
        readNullableString(
          use?.toolUseId,
          PROVIDER,
          "output.message.content[].toolUse.toolUseId",
        ) ?? generateId("tooluse");
      toolCalls.push({ id, name, input });
      content.push({ type: "tool-call", toolCallId: id, toolName: name, input });
    } else if (block?.reasoningContent?.reasoningText !== undefined) {
      const r = block.reasoningContent.reasoningText;
      const t = readNullableString(r.text, PROVIDER, REASONING_TEXT_PATH) ?? "";
      const signature = readNullableString(r.signature, PROVIDER, REASONING_SIGNATURE_PATH);
      reasoning += t;
      content.push(
        signature === undefined
          ? { type: "reasoning", text: t }
          : { type: "reasoning", text: t, signature },
      );
    }
  }
  const raw = readOptionalString(value.stopReason);
  const requestId = headers["x-amzn-requestid"];
  const response: ChatResponse = {
    // Converse has no message id: the request id names the answer.
    id: requestId ?? generateId("msg"),
    model: modelId,
    provider: PROVIDER,
    text,
    content,
    toolCalls,
    finishReason: mapBedrockFinishReason(raw, jsonTool && toolCalls.length === 0),
    usage: convertBedrockUsage(value.usage),
    origin: { type: "upstream" },
  };
  if (reasoning !== "") response.reasoning = reasoning;
  if (raw !== undefined) response.rawFinishReason = raw;
  if (requestId !== undefined) response.requestId = requestId;
  return response;
}
