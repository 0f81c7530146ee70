import {
  type CacheScope,
  type CallOptions,
  callJSON,
  checkEmbeddingBatch,
  checkEmbeddingVectors,
  type EmbeddingClient,
  type EmbeddingRequest,
  type EmbeddingResponse,
  float32FromNumbers,
  isRecord,
  type JsonValue,
  ParseError,
  providerCacheScope,
  type ResponseLimits,
  readCount,
  readOptionalString,
  type Transport,
} from "@llm/core";
import { mapOllamaError } from "./ollama-error.js";

/**
 * Inputs per `/api/embed` call. Ollama sets no limit of its own; this keeps
 * one answer (768-dimension vectors as JSON numbers, ~20 bytes each) near
 * 4 MB, far inside the default body bound.
 */
export const OLLAMA_MAX_INPUTS_PER_CALL = 256;

export interface OllamaEmbeddingClientConfig {
  model?: string;
  /** Full URL of `/api/embed`. */
  url: string;
  headers: Record<string, string>;
  transport: Transport;
  limits?: ResponseLimits;
  maxInputsPerCall: number;
  maxParallelCalls?: number;
}

/** The `/api/embed` body. */
export interface OllamaEmbedRequestBody {
  model: string;
  input: readonly string[];
  dimensions?: number;
  /** `providerOptions.ollama`: `truncate`, `keep_alive`, `options`. */
  [extra: string]: JsonValue | readonly string[] | undefined;
}

/** `EmbeddingClient` on Ollama's `POST /api/embed`; usage is its `prompt_eval_count`. */
export class OllamaEmbeddingClient implements EmbeddingClient {
  readonly provider = "ollama";
  readonly model?: string;
  readonly cacheScope: CacheScope;
  readonly maxInputsPerCall: number;
  readonly maxParallelCalls?: number;
  readonly #config: OllamaEmbeddingClientConfig;

  constructor(config: OllamaEmbeddingClientConfig) {
    this.#config = config;
    if (config.model !== undefined) this.model = config.model;
    this.maxInputsPerCall = config.maxInputsPerCall;
    if (config.maxParallelCalls !== undefined) this.maxParallelCalls = config.maxParallelCalls;
    this.cacheScope = providerCacheScope({
      provider: this.provider,
      baseURL: config.url,
      headers: config.headers,
    });
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: EmbeddingRequest): OllamaEmbedRequestBody {
    const { model, inputs } = checkEmbeddingBatch(this, request);
    const body: OllamaEmbedRequestBody = { model, input: inputs };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    const extra = request.providerOptions?.ollama;
    if (extra !== undefined) Object.assign(body, extra);
    return body;
  }

  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const body = this.buildRequestBody(request);
    const config = this.#config;
    const result = await callJSON(
      config.transport,
      {
        provider: this.provider,
        url: config.url,
        headers: config.headers,
        body,
        mapError: (info) => mapOllamaError(info, body.model),
        ...(config.limits === undefined ? {} : { limits: config.limits }),
      },
      options,
    );
    const value = result.value;
    if (!isRecord(value) || !Array.isArray(value.embeddings)) {
      throw new ParseError("ollama returned a body without embeddings", {
        where: "response body .embeddings",
        provider: this.provider,
      });
    }
    const embeddings = value.embeddings.map((values: unknown, i) =>
      float32FromNumbers(values, `response body .embeddings[${i}]`),
    );
    checkEmbeddingVectors(this.provider, embeddings, body.input.length, body.dimensions);
    const tokens = value.prompt_eval_count;
    return {
      provider: this.provider,
      model: readOptionalString(value.model) ?? body.model,
      embeddings,
      usage: { inputTokens: readCount(tokens) ?? 0 },
    };
  }
}
