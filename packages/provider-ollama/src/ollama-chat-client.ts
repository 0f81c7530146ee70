import {
  type AssistantContentPart,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  ConfigError,
  generateId,
  type JsonObject,
  type JsonValue,
  type LLMClient,
  NetworkError,
  openCallSignal,
  ParseError,
  parseNDJSON,
  type SendOptions,
  type StreamEvent,
  sendJSON,
  sendStream,
  type ToolCall,
  type Transport,
  type Usage,
} from "@llm/core";
import { convertOllamaUsage } from "./convert-ollama-usage.js";
import { convertToOllamaMessages } from "./convert-to-ollama-messages.js";
import { mapOllamaFinishReason } from "./map-ollama-finish-reason.js";
import {
  asOllamaResponse,
  isOllamaErrorBody,
  type OllamaChatRequestBody,
  type OllamaOptions,
  type OllamaToolCall,
} from "./ollama-api.js";
import { mapOllamaError, mapOllamaStreamError } from "./ollama-error.js";

/** Request fields that `settings.defaults` may fill when a request leaves them undefined. */
export interface OllamaRequestDefaults {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxTokens?: number;
  stop?: string[];
  seed?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
}

/** Everything a client needs, resolved once by `createOllama`. */
export interface OllamaChatClientConfig {
  model?: string;
  /** Full URL of `/api/chat`. */
  url: string;
  /** Static headers (optional bearer for a proxy, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  defaults?: OllamaRequestDefaults;
}

const UPSTREAM = Object.freeze({ type: "upstream" as const });

/**
 * `LLMClient` on Ollama's `/api/chat`: `stream: false` JSON for `generate`,
 * NDJSON for `stream`. Hot path: one object literal for the body, one
 * `JSON.stringify`, one `JSON.parse` (per line when streaming).
 */
export class OllamaChatClient implements LLMClient {
  readonly provider = "ollama";
  readonly model?: string;
  readonly #config: OllamaChatClientConfig;

  constructor(config: OllamaChatClientConfig) {
    this.#config = config;
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): OllamaChatRequestBody {
    const model = request.model ?? this.#config.model;
    if (!model) {
      throw new ConfigError("No model for ollama: set request.model or settings.model", {
        provider: "ollama",
        issues: [{ path: "model", message: "required" }],
      });
    }
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
        if (key === "options" && isObject(value)) Object.assign(options, value);
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
    const d = this.#config.defaults;
    const options: OllamaOptions = {};
    const temperature = request.temperature ?? d?.temperature;
    if (temperature !== undefined) options.temperature = temperature;
    const topP = request.topP ?? d?.topP;
    if (topP !== undefined) options.top_p = topP;
    const topK = request.topK ?? d?.topK;
    if (topK !== undefined) options.top_k = topK;
    const maxTokens = request.maxTokens ?? d?.maxTokens;
    if (maxTokens !== undefined) options.num_predict = maxTokens;
    const stop = request.stop ?? d?.stop;
    if (stop !== undefined && stop.length > 0) options.stop = stop;
    const seed = request.seed ?? d?.seed;
    if (seed !== undefined) options.seed = seed;
    const frequencyPenalty = request.frequencyPenalty ?? d?.frequencyPenalty;
    if (frequencyPenalty !== undefined) options.frequency_penalty = frequencyPenalty;
    const presencePenalty = request.presencePenalty ?? d?.presencePenalty;
    if (presencePenalty !== undefined) options.presence_penalty = presencePenalty;
    return options;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const call = openCallSignal(options, false);
    try {
      const result = await sendJSON(this.#config.transport, this.#send(body, call.signal, options));
      const value = result.value;
      // Ollama can answer 200 with an error body (e.g. a model that fails to load).
      if (isOllamaErrorBody(value))
        throw mapOllamaStreamError(value.error, result.headers, body.model);
      return toChatResponse(asOllamaResponse(value, "response body"), body.model, result.headers);
    } finally {
      call.dispose();
    }
  }

  async *stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const body = this.buildRequestBody(request, true);
    const call = openCallSignal(options, true);
    let completed = false;
    try {
      const result = await sendStream(
        this.#config.transport,
        this.#send(body, call.signal, options),
      );
      const headers = result.headers;
      const requestId = headers["x-request-id"];
      const signal = call.signal;
      let line = 0;
      let toolCallCount = 0;
      let usage: Usage | undefined;
      let rawFinish: string | undefined;
      let done = false;
      for await (const value of parseNDJSON(result.body, signal === undefined ? {} : { signal })) {
        line++;
        if (isOllamaErrorBody(value)) throw mapOllamaStreamError(value.error, headers, body.model);
        // Lines after `done` (there should be none) are read but ignored, so the socket can be reused.
        if (done) continue;
        const chunk = asOllamaResponse(value, `stream line ${line}`);
        if (line === 1) {
          const start: StreamEvent = {
            type: "start",
            id: generateId("ollama"),
            model: chunk.model ?? body.model,
            provider: "ollama",
            origin: UPSTREAM,
          };
          if (requestId !== undefined) start.requestId = requestId;
          yield start;
        }
        const message = chunk.message;
        if (message) {
          if (message.thinking) yield { type: "reasoning-delta", delta: message.thinking };
          if (message.content) yield { type: "text-delta", delta: message.content };
          const calls = message.tool_calls;
          if (calls) {
            // Ollama sends each call whole: one delta with all the arguments, then the call.
            for (const wire of calls) {
              const call = toToolCall(wire);
              const index = toolCallCount++;
              yield {
                type: "tool-call-delta",
                index,
                toolCallId: call.id,
                toolName: call.name,
                argsDelta: JSON.stringify(call.input),
              };
              yield { type: "tool-call", index, toolCall: call };
            }
          }
        }
        if (chunk.done === true) {
          done = true;
          usage = convertOllamaUsage(chunk);
          rawFinish = chunk.done_reason;
        }
      }
      if (line === 0) {
        throw new ParseError("ollama ended the stream without sending a line", {
          where: "stream line 1",
          provider: "ollama",
        });
      }
      if (!done) {
        throw new NetworkError(
          'ollama ended the stream before it finished (no "done": true line)',
          {
            provider: "ollama",
          },
        );
      }
      const finalUsage = usage as Usage;
      yield { type: "usage", usage: finalUsage };
      const finish: StreamEvent = {
        type: "finish",
        finishReason: mapOllamaFinishReason(rawFinish, toolCallCount > 0),
        usage: finalUsage,
      };
      if (rawFinish !== undefined) finish.rawFinishReason = rawFinish;
      yield finish;
      completed = true;
    } finally {
      // Breaking out of `for await` lands here with `completed` false: end the HTTP request.
      if (!completed) call.abort();
      call.dispose();
    }
  }

  #send(
    body: OllamaChatRequestBody,
    signal: AbortSignal | undefined,
    options: CallOptions | undefined,
  ): SendOptions {
    const config = this.#config;
    const model = body.model;
    const send: SendOptions = {
      provider: "ollama",
      url: config.url,
      headers: options?.headers ? { ...config.headers, ...options.headers } : config.headers,
      body,
      mapError: (info) => mapOllamaError(info, model),
    };
    if (signal !== undefined) send.signal = signal;
    if (options?.firstTokenTimeoutMs !== undefined) {
      send.headersTimeoutMs = options.firstTokenTimeoutMs;
    }
    if (options?.idleTimeoutMs !== undefined) send.bodyTimeoutMs = options.idleTimeoutMs;
    return send;
  }
}

function toChatResponse(
  value: ReturnType<typeof asOllamaResponse>,
  model: string,
  headers: Record<string, string>,
): ChatResponse {
  const message = value.message;
  const text = message?.content ?? "";
  const reasoning = message?.thinking ?? "";
  const toolCalls: ToolCall[] = message?.tool_calls ? message.tool_calls.map(toToolCall) : [];
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

function toToolCall(wire: OllamaToolCall): ToolCall {
  const fn = wire.function;
  const args: JsonValue = fn?.arguments ?? {};
  // Some Ollama-compatible servers send arguments as a JSON string, as OpenAI does.
  return {
    id: wire.id ?? generateId("call"),
    name: fn?.name ?? "",
    input: typeof args === "string" ? parseArguments(args) : args,
  };
}

function parseArguments(args: string): JsonValue {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args) as JsonValue;
  } catch {
    return args;
  }
}

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);
