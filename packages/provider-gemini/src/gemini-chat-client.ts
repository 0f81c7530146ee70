import {
  type CacheScope,
  type CallOptions,
  type ChatRequest,
  type ChatResponse,
  callJSON,
  driveStream,
  isRecord,
  type JsonValue,
  type LLMClient,
  providerCacheScope,
  type RequestDefaults,
  type ResponseLimits,
  requestFieldWriter,
  requireModel,
  type SendOptions,
  type StreamEvent,
  type Transport,
  wireShapeError,
} from "@llm/core";
import { convertToGeminiMessages } from "./convert-to-gemini-messages.js";
import { convertToGeminiSchema } from "./convert-to-gemini-schema.js";
import {
  asGeminiResponse,
  type GeminiGenerationConfig,
  type GeminiRequestBody,
  isGeminiErrorBody,
} from "./gemini-api.js";
import { mapGeminiError, mapGeminiStreamError } from "./gemini-error.js";
import { GeminiModelURLs } from "./gemini-model-urls.js";
import { toChatResponse } from "./gemini-response.js";
import { GeminiStreamEvents } from "./gemini-stream-events.js";
import { prepareGeminiTools } from "./prepare-gemini-tools.js";

/** Request fields that `settings.defaults` may fill when a request leaves them undefined: all of core's. */
export type GeminiRequestDefaults = RequestDefaults;

/** Everything a client needs, resolved once by `createGemini`. */
export interface GeminiChatClientConfig {
  model?: string;
  /** Normalized, without a trailing slash, e.g. `https://generativelanguage.googleapis.com/v1beta`. */
  baseURL: string;
  /** Static headers (`x-goog-api-key`, custom), built once. */
  headers: Record<string, string>;
  transport: Transport;
  /** Bounds on answers (`ResponseLimits`); unset ones take core's defaults. */
  limits?: ResponseLimits;
  defaults?: GeminiRequestDefaults;
}

/** Sampling fields live in `generationConfig`, under Gemini's camelCase names. */
const writeGenerationConfig = requestFieldWriter<GeminiGenerationConfig>({
  temperature: "temperature",
  topP: "topP",
  topK: "topK",
  maxTokens: "maxOutputTokens",
  stop: "stopSequences",
  seed: "seed",
  frequencyPenalty: "frequencyPenalty",
  presencePenalty: "presencePenalty",
});

/**
 * `providerOptions.gemini` keys that belong inside `generationConfig`; any
 * other key (`safetySettings`, `cachedContent`, `labels`, …) goes top-level.
 */
const GENERATION_CONFIG_KEYS = new Set([
  "thinkingConfig",
  "responseModalities",
  "candidateCount",
  "responseLogprobs",
  "logprobs",
  "mediaResolution",
  "speechConfig",
  "imageConfig",
]);

/**
 * `LLMClient` on Gemini's `generateContent` / `streamGenerateContent`.
 *
 * The key travels in the `x-goog-api-key` header, never in the URL (URLs end
 * up in logs, traces and error messages). Hot path: one object literal for
 * the body, one `JSON.stringify`, one `JSON.parse`, a field-by-field read.
 */
export class GeminiChatClient implements LLMClient {
  readonly provider = "gemini";
  readonly model?: string;
  /** Who answers (endpoint, account headers, defaults), for response caches; no secret in it. */
  readonly cacheScope: CacheScope;
  readonly #config: GeminiChatClientConfig;
  readonly #urls: GeminiModelURLs;

  constructor(config: GeminiChatClientConfig) {
    this.#config = config;
    this.#urls = new GeminiModelURLs(config.baseURL);
    this.cacheScope = providerCacheScope({
      provider: this.provider,
      baseURL: config.baseURL,
      headers: config.headers,
      ...(config.defaults === undefined ? {} : { defaults: { ...config.defaults } }),
    });
    if (config.model !== undefined) this.model = config.model;
  }

  /** The model a request runs on. Throws `ConfigError` when neither the request nor the settings name one. */
  modelOf(request: ChatRequest): string {
    return requireModel("gemini", request.model, this.#config.model);
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: ChatRequest): GeminiRequestBody {
    const prompt = convertToGeminiMessages(request.messages);
    const body: GeminiRequestBody = { contents: prompt.contents };
    if (prompt.systemInstruction) body.systemInstruction = prompt.systemInstruction;

    const tools = prepareGeminiTools(request.tools, request.toolChoice);
    if (tools.tools) body.tools = tools.tools;
    if (tools.toolConfig) body.toolConfig = tools.toolConfig;

    const generationConfig = this.#generationConfig(request);
    const extra = request.providerOptions?.gemini;
    if (extra) {
      for (const key in extra) {
        const value = extra[key] as JsonValue;
        if (key === "generationConfig" && isRecord(value)) Object.assign(generationConfig, value);
        else if (GENERATION_CONFIG_KEYS.has(key)) generationConfig[key] = value;
        else body[key] = value;
      }
    }
    for (const _ in generationConfig) {
      body.generationConfig = generationConfig;
      break;
    }
    return body;
  }

  #generationConfig(request: ChatRequest): GeminiGenerationConfig {
    const config: GeminiGenerationConfig = {};
    writeGenerationConfig(config, request, this.#config.defaults);
    const format = request.responseFormat;
    if (format?.type === "json") config.responseMimeType = "application/json";
    else if (format?.type === "json_schema") {
      config.responseMimeType = "application/json";
      config.responseSchema = convertToGeminiSchema(format.schema);
    }
    return config;
  }

  async generate(request: ChatRequest, options?: CallOptions): Promise<ChatResponse> {
    const model = this.modelOf(request);
    const body = this.buildRequestBody(request);
    const result = await callJSON(
      this.#config.transport,
      this.#send(this.#urls.url(model, ":generateContent"), body),
      options,
    );
    // A 200 that carries only `{ "error": … }` (seen behind proxies) is still a failure.
    if (isGeminiErrorBody(result.value)) throw mapGeminiStreamError(result.value, result.headers);
    try {
      return toChatResponse(asGeminiResponse(result.value, "response body"), {
        model,
        requestId: result.headers["x-request-id"],
      });
    } catch (error) {
      throw wireShapeError(error, "gemini", "response body");
    }
  }

  stream(
    request: ChatRequest,
    options?: CallOptions,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    return driveStream(this.#config.transport, options, "sse", () => {
      const model = this.modelOf(request);
      const body = this.buildRequestBody(request);
      return {
        send: this.#send(this.#urls.url(model, ":streamGenerateContent?alt=sse"), body),
        open: (headers) => new GeminiStreamEvents(model, headers),
      };
    });
  }

  /** What a call sends; `callJSON` / `driveStream` add the call's signal, headers and timeouts. */
  #send(url: string, body: GeminiRequestBody): SendOptions {
    return {
      provider: "gemini",
      url,
      headers: this.#config.headers,
      body,
      mapError: mapGeminiError,
      ...(this.#config.limits === undefined ? {} : { limits: this.#config.limits }),
    };
  }
}
