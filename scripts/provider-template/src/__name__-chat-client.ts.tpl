import {
  type AssistantContentPart,
  type CacheScope,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  ConfigError,
  generateId,
  type JsonValue,
  type LLMClient,
  linkSignals,
  NetworkError,
  ParseError,
  parseSSE,
  providerCacheScope,
  type SendOptions,
  type StreamEvent,
  sendJSON,
  sendStream,
  type ToolCall,
  type Transport,
  type Usage,
} from "@llm/core";
import { convert__Name__Usage } from "./convert-__name__-usage.js";
import { convertTo__Name__Messages } from "./convert-to-__name__-messages.js";
import { is__Name__Chunk, is__Name__Response, type __Name__RequestBody } from "./__name__-api.js";
import { map__Name__Error } from "./__name__-error.js";
import { map__Name__FinishReason } from "./map-__name__-finish-reason.js";

/** Everything a client needs, resolved once by `create__Name__`. */
export interface __Name__ChatClientConfig {
  model?: string;
  /** Full URL of the chat endpoint. */
  url: string;
  /** Static headers (auth, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
}

/** Registry key, `provider` on responses and errors, and the `providerOptions` key. */
const PROVIDER = "__name__";
const UPSTREAM = Object.freeze({ type: "upstream" as const });

/**
 * `LLMClient` for __Name__. Hot path: one object literal for the body, one
 * `JSON.stringify` (in `sendJSON`), one `JSON.parse`, a field-by-field read.
 */
export class __Name__ChatClient implements LLMClient {
  readonly provider = "__name__";
  readonly model?: string;
  /**
   * Who answers (endpoint, account-selecting headers), for response caches: keys are scoped
   * to it, so two accounts or servers never share an answer. Credentials are kept out of it
   * (see @llm/core's `providerCacheScope`).
   */
  readonly cacheScope: CacheScope;
  readonly #config: __Name__ChatClientConfig;

  constructor(config: __Name__ChatClientConfig) {
    this.#config = config;
    this.cacheScope = providerCacheScope({
      provider: this.provider,
      baseURL: config.url,
      headers: config.headers,
    });
    if (config.model !== undefined) this.model = config.model;
  }

  /** The wire body for `request`. Public so tests can see exactly what is sent. */
  buildRequestBody(request: ChatRequest, stream: boolean): __Name__RequestBody {
    const model = request.model ?? this.#config.model;
    if (!model) {
      throw new ConfigError("No model for __name__: set request.model or settings.model", {
        provider: "__name__",
        issues: [{ path: "model", message: "required" }],
      });
    }
    const body: __Name__RequestBody = { model, messages: convertTo__Name__Messages(request.messages) };
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
    if (stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    const extra = request.providerOptions?.[PROVIDER];
    if (extra) Object.assign(body, extra);
    return body;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const body = this.buildRequestBody(request, false);
    const result = await sendJSON(this.#config.transport, this.#send(body, options?.signal, options));
    const value = result.value;
    const choice = is__Name__Response(value) ? value.choices[0] : undefined;
    if (!is__Name__Response(value) || choice === undefined) {
      throw new ParseError("__name__ returned a body that is not a chat completion", {
        where: "response body",
        provider: "__name__",
      });
    }
    const text = choice.message.content ?? "";
    const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call) => ({
      id: call.id ?? generateId("call"),
      name: call.function?.name ?? "",
      input: parseArguments(call.function?.arguments ?? ""),
    }));
    const content: AssistantContentPart[] = text ? [{ type: "text", text }] : [];
    for (const call of toolCalls) {
      content.push({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.input });
    }
    const raw = choice.finish_reason ?? undefined;
    const response: ChatResponse = {
      id: value.id ?? generateId("__name__"),
      model: value.model ?? body.model,
      provider: "__name__",
      text,
      content,
      toolCalls,
      finishReason: map__Name__FinishReason(raw),
      usage: convert__Name__Usage(value.usage),
      origin: UPSTREAM,
    };
    if (raw) response.rawFinishReason = raw;
    const requestId = result.headers["x-request-id"];
    if (requestId !== undefined) response.requestId = requestId;
    return response;
  }

  async *stream(request: ChatRequest, options?: CallOptions): AsyncGenerator<StreamEvent, void, undefined> {
    const body = this.buildRequestBody(request, true);
    // Our own abort, linked to the caller's: breaking out of `for await` ends the HTTP request.
    const own = new AbortController();
    const linked = linkSignals(options?.signal, own.signal);
    let completed = false;
    try {
      const result = await sendStream(this.#config.transport, this.#send(body, linked.signal, options));
      const calls: { id: string; name: string; args: string }[] = [];
      let started = false;
      let rawFinish: string | undefined;
      let usage: Usage | undefined;
      let index = 0;
      for await (const sse of parseSSE(result.body, { signal: linked.signal })) {
        index++;
        if (sse.data === "[DONE]") continue;
        const chunk = parseChunk(sse.data, index);
        // An error object instead of a chunk: the status was already 200, so map it as a 500.
        if (chunk.error) {
          throw map__Name__Error({ provider: "__name__", status: 500, headers: result.headers, bodyText: sse.data });
        }
        if (!started) {
          started = true;
          yield { type: "start", id: chunk.id ?? generateId("__name__"), model: chunk.model ?? body.model, provider: "__name__", origin: UPSTREAM };
        }
        if (chunk.usage) usage = convert__Name__Usage(chunk.usage);
        const choice = chunk.choices?.[0];
        if (choice?.delta?.content) yield { type: "text-delta", delta: choice.delta.content };
        for (const delta of choice?.delta?.tool_calls ?? []) {
          const at = delta.index ?? 0;
          let call = calls[at];
          if (call === undefined) {
            call = { id: delta.id ?? generateId("call"), name: "", args: "" };
            calls[at] = call;
          }
          if (delta.function?.name) call.name = delta.function.name;
          const argsDelta = delta.function?.arguments;
          if (argsDelta) {
            call.args += argsDelta;
            yield { type: "tool-call-delta", index: at, toolCallId: call.id, toolName: call.name, argsDelta };
          }
        }
        if (choice?.finish_reason) rawFinish = choice.finish_reason;
      }
      if (rawFinish === undefined) throw new NetworkError("__name__ ended the stream before it finished");
      for (let i = 0; i < calls.length; i++) {
        const call = calls[i];
        if (call) yield { type: "tool-call", index: i, toolCall: { id: call.id, name: call.name, input: parseArguments(call.args) } };
      }
      const finalUsage = usage ?? { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
      yield { type: "usage", usage: finalUsage };
      yield { type: "finish", finishReason: map__Name__FinishReason(rawFinish), rawFinishReason: rawFinish, usage: finalUsage };
      completed = true;
    } finally {
      if (!completed) own.abort();
      linked.dispose();
    }
  }

  #send(body: __Name__RequestBody, signal: AbortSignal | undefined, options: CallOptions | undefined): SendOptions {
    const config = this.#config;
    const send: SendOptions = {
      provider: "__name__",
      url: config.url,
      headers: options?.headers ? { ...config.headers, ...options.headers } : config.headers,
      body,
      mapError: map__Name__Error,
    };
    if (signal !== undefined) send.signal = signal;
    return send;
  }
}

function parseChunk(data: string, index: number) {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    throw new ParseError("__name__ sent a stream chunk that is not JSON", { where: `stream event ${index}`, provider: "__name__", cause });
  }
  if (!is__Name__Chunk(value)) {
    throw new ParseError("__name__ sent a malformed stream chunk", { where: `stream event ${index}`, provider: "__name__" });
  }
  return value;
}

/** Tool arguments are a JSON string on the wire; text that is not JSON is passed through raw. */
function parseArguments(args: string): JsonValue {
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args) as JsonValue;
  } catch {
    return args;
  }
}
