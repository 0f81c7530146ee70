import {
  type AssistantContentPart,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  ConfigError,
  generateId,
  type HttpErrorInfo,
  type JsonValue,
  type LLMClient,
  openCallSignal,
  ParseError,
  type ResponseFormat,
  type SendOptions,
  type SSEEvent,
  SSEParser,
  type StreamEvent,
  sendJSON,
  sendStream,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
  type Transport,
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
  defaults?: AnthropicRequestDefaults;
}

const PROVIDER = "anthropic";

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
  readonly #config: AnthropicChatClientConfig;

  constructor(config: AnthropicChatClientConfig) {
    this.#config = config;
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): AnthropicMessagesRequestBody {
    const config = this.#config;
    const model = request.model ?? config.model;
    if (!model) {
      throw new ConfigError(`No model for ${PROVIDER}: set request.model or settings.model`, {
        provider: PROVIDER,
        issues: [{ path: "model", message: "required" }],
      });
    }
    const d = config.defaults;
    const prompt = convertToAnthropicMessages(request.messages);
    const body: AnthropicMessagesRequestBody = {
      model,
      max_tokens: request.maxTokens ?? d?.maxTokens ?? DEFAULT_MAX_TOKENS,
      messages: prompt.messages,
    };
    if (prompt.system !== undefined) body.system = prompt.system;
    const temperature = request.temperature ?? d?.temperature;
    if (temperature !== undefined) body.temperature = temperature;
    const topP = request.topP ?? d?.topP;
    if (topP !== undefined) body.top_p = topP;
    const topK = request.topK ?? d?.topK;
    if (topK !== undefined) body.top_k = topK;
    const stop = request.stop ?? d?.stop;
    if (stop !== undefined && stop.length > 0) body.stop_sequences = stop;
    const hasTools = request.tools !== undefined && request.tools.length > 0;
    if (hasTools) body.tools = (request.tools as ToolDefinition[]).map(convertTool);
    if (request.toolChoice !== undefined) body.tool_choice = convertToolChoice(request.toolChoice);
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
    const call = openCallSignal(options, false);
    try {
      const result = await sendJSON(this.#config.transport, this.#send(body, call.signal, options));
      return parseMessage(result.value, result.headers, body.model, usesJsonTool(request));
    } finally {
      call.dispose();
    }
  }

  async *stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const body = this.buildRequestBody(request, true);
    // Our own abort, not just the body iterator's return(): cancelling a fetch body may let the
    // response run on (to reuse the socket) while the model keeps generating tokens we pay for.
    const call = openCallSignal(options, true);
    let completed = false;
    let bodyIterator: AsyncIterator<Uint8Array> | undefined;
    try {
      const result = await sendStream(
        this.#config.transport,
        this.#send(body, call.signal, options),
      );
      const events = new AnthropicStreamEvents(body.model, result.headers, usesJsonTool(request));
      // One decoder + core's incremental SSEParser straight over the body: no generator layers
      // per chunk. The transport ends the body when the call's signal aborts.
      const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
      const parser = new SSEParser();
      const out: StreamEvent[] = [];
      // A manual loop, not `for await`: on an early exit the finally below must abort BEFORE the
      // body is returned — a transport detaches from the signal once its body is closed.
      bodyIterator = result.body[Symbol.asyncIterator]();
      while (true) {
        const next = await bodyIterator.next();
        if (next.done) break;
        const failure = feed(
          events,
          parser.feed(decoder.decode(next.value, { stream: true })),
          out,
        );
        for (let i = 0; i < out.length; i++) yield out[i] as StreamEvent;
        out.length = 0;
        if (failure !== NO_FAILURE) throw failure;
      }
      let failure = feed(events, parser.feed(decoder.decode()), out);
      if (failure === NO_FAILURE) failure = feed(events, parser.end(), out);
      if (failure === NO_FAILURE) failure = feed(events, undefined, out);
      for (let i = 0; i < out.length; i++) yield out[i] as StreamEvent;
      if (failure !== NO_FAILURE) throw failure;
      completed = true;
    } finally {
      // Breaking out of `for await` (or failing) lands here with `completed` false: end the request.
      if (!completed) {
        call.abort();
        await bodyIterator?.return?.().catch(() => undefined);
      }
      call.dispose();
    }
  }

  #send(
    body: AnthropicMessagesRequestBody,
    signal: AbortSignal | undefined,
    options: CallOptions | undefined,
  ): SendOptions {
    const config = this.#config;
    const send: SendOptions = {
      provider: PROVIDER,
      url: config.url,
      headers: options?.headers ? { ...config.headers, ...options.headers } : config.headers,
      body,
      mapError,
    };
    if (signal !== undefined) send.signal = signal;
    if (options?.firstTokenTimeoutMs !== undefined)
      send.headersTimeoutMs = options.firstTokenTimeoutMs;
    if (options?.idleTimeoutMs !== undefined) send.bodyTimeoutMs = options.idleTimeoutMs;
    return send;
  }
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
        const t = (block as { text: string }).text;
        text += t;
        content.push({ type: "text", text: t });
        break;
      }
      case "thinking": {
        const b = block as { thinking: string; signature?: string };
        reasoning += b.thinking;
        content.push(
          b.signature === undefined
            ? { type: "reasoning", text: b.thinking }
            : { type: "reasoning", text: b.thinking, signature: b.signature },
        );
        break;
      }
      case "tool_use": {
        const b = block as { id: string; name: string; input?: unknown };
        const input = (b.input ?? {}) as JsonValue;
        if (jsonTool && b.name === JSON_TOOL_NAME) {
          const json = JSON.stringify(input);
          text += json;
          content.push({ type: "text", text: json });
          break;
        }
        toolCalls.push({ id: b.id, name: b.name, input });
        content.push({ type: "tool-call", toolCallId: b.id, toolName: b.name, input });
        break;
      }
      default:
        break; // redacted_thinking, server tools: not part of the neutral response
    }
  }
  const raw = value.stop_reason ?? undefined;
  const response: ChatResponse = {
    id: value.id ?? generateId("msg"),
    model: value.model ?? model,
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
  if (value.stop_details !== undefined && value.stop_details !== null) {
    response.providerMetadata = { stopDetails: value.stop_details as JsonValue };
  }
  return response;
}

const NO_FAILURE: unique symbol = Symbol("no failure");

/**
 * Runs a batch of SSE payloads through the state machine (`undefined`: the
 * body ended). A failure is returned, not thrown, so the events produced
 * before it are still yielded first.
 */
function feed(
  events: AnthropicStreamEvents,
  sse: SSEEvent[] | undefined,
  out: StreamEvent[],
): unknown {
  try {
    if (sse === undefined) events.end(out);
    else for (let i = 0; i < sse.length; i++) events.push((sse[i] as SSEEvent).data, out);
    return NO_FAILURE;
  } catch (error) {
    return error;
  }
}
