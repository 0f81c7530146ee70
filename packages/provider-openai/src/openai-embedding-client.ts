import {
  type CacheScope,
  type CallOptions,
  callJSON,
  checkEmbeddingBatch,
  checkEmbeddingVectors,
  type EmbeddingClient,
  type EmbeddingRequest,
  type EmbeddingResponse,
  float32FromBase64,
  float32FromNumbers,
  type HttpErrorInfo,
  isRecord,
  type JsonValue,
  type LLMError,
  ParseError,
  providerCacheScope,
  type ResponseLimits,
  readCount,
  readOptionalString,
  type Transport,
} from "@llm/core";
import { openAIErrorFromResponse } from "./openai-error.js";

/** OpenAI's limit on `input` entries in one `/embeddings` request. */
export const OPENAI_MAX_INPUTS_PER_CALL = 2048;

export interface OpenAIEmbeddingClientConfig {
  provider: string;
  model?: string;
  /** Full URL of `/embeddings`. */
  url: string;
  headers: Record<string, string>;
  transport: Transport;
  limits?: ResponseLimits;
  maxInputsPerCall: number;
  maxParallelCalls?: number;
  /** Keys of `request.providerOptions` merged into the body, in order. */
  providerOptionKeys: readonly string[];
  /** Maps a failed HTTP answer; default `openAIErrorFromResponse`. */
  mapError?: (info: HttpErrorInfo) => LLMError;
}

/** The `/embeddings` body, as the official SDK sends it. */
export interface OpenAIEmbeddingRequestBody {
  model: string;
  input: readonly string[];
  /** Base64 of little-endian float32s: a quarter of the bytes of JSON numbers, and exact. */
  encoding_format: "base64";
  dimensions?: number;
  [extra: string]: JsonValue | readonly string[] | undefined;
}

/**
 * `EmbeddingClient` on `POST /v1/embeddings` (OpenAI and compatible servers).
 * Asks for `encoding_format: "base64"` — what the official SDK does by
 * default — and decodes each vector straight into a `Float32Array`; a
 * server that answers JSON numbers anyway is read too.
 */
export class OpenAIEmbeddingClient implements EmbeddingClient {
  readonly provider: string;
  readonly model?: string;
  readonly cacheScope: CacheScope;
  readonly maxInputsPerCall: number;
  readonly maxParallelCalls?: number;
  readonly #config: OpenAIEmbeddingClientConfig;
  readonly #mapError: (info: HttpErrorInfo) => LLMError;

  constructor(config: OpenAIEmbeddingClientConfig) {
    this.#config = config;
    this.provider = config.provider;
    if (config.model !== undefined) this.model = config.model;
    this.maxInputsPerCall = config.maxInputsPerCall;
    if (config.maxParallelCalls !== undefined) this.maxParallelCalls = config.maxParallelCalls;
    this.cacheScope = providerCacheScope({
      provider: config.provider,
      baseURL: config.url,
      headers: config.headers,
    });
    const provider = config.provider;
    this.#mapError =
      config.mapError ??
      ((info) => openAIErrorFromResponse(info.status, info.headers, info.bodyText, provider));
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: EmbeddingRequest): OpenAIEmbeddingRequestBody {
    const { model, inputs } = checkEmbeddingBatch(this, request);
    const body: OpenAIEmbeddingRequestBody = { model, input: inputs, encoding_format: "base64" };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    const options = request.providerOptions;
    if (options !== undefined) {
      for (const key of this.#config.providerOptionKeys) {
        const extra = options[key];
        if (extra !== undefined) Object.assign(body, extra);
      }
    }
    return body;
  }

  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const body = this.buildRequestBody(request);
    const config = this.#config;
    const result = await callJSON(
      config.transport,
      {
        provider: config.provider,
        url: config.url,
        headers: config.headers,
        body,
        mapError: this.#mapError,
        ...(config.limits === undefined ? {} : { limits: config.limits }),
      },
      options,
    );
    const response = this.#parse(result.value, body);
    const requestId = result.headers["x-request-id"];
    if (requestId !== undefined) response.requestId = requestId;
    return response;
  }

  #parse(value: unknown, body: OpenAIEmbeddingRequestBody): EmbeddingResponse {
    const provider = this.provider;
    if (!isRecord(value) || !Array.isArray(value.data)) {
      throw new ParseError(`${provider} returned a body that is not an embedding list`, {
        where: "response body .data",
        provider,
      });
    }
    const count = body.input.length;
    if (value.data.length !== count) {
      throw new ParseError(
        `${provider} returned ${value.data.length} embeddings for ${count} inputs`,
        {
          where: "response body .data",
          provider,
        },
      );
    }
    const embeddings = new Array<Float32Array>(count);
    value.data.forEach((item: unknown, position: number) => {
      const where = `response body .data[${position}]`;
      const index = isRecord(item) ? item.index : undefined;
      // Each item says which input it embeds; the list is not promised to be in order.
      const slot = typeof index === "number" ? index : position;
      if (!Number.isInteger(slot) || slot < 0 || slot >= count || embeddings[slot] !== undefined) {
        throw new ParseError(
          `${provider} returned an embedding for no input (index ${String(index)})`,
          {
            where: `${where}.index`,
            provider,
          },
        );
      }
      const raw = isRecord(item) ? item.embedding : undefined;
      embeddings[slot] =
        typeof raw === "string"
          ? float32FromBase64(raw, `${where}.embedding`)
          : float32FromNumbers(raw, `${where}.embedding`);
    });
    checkEmbeddingVectors(provider, embeddings, count, body.dimensions);
    const usage = isRecord(value.usage) ? value.usage.prompt_tokens : undefined;
    return {
      provider,
      model: readOptionalString(value.model) ?? body.model,
      embeddings,
      usage: { inputTokens: readCount(usage) ?? 0 },
    };
  }
}
