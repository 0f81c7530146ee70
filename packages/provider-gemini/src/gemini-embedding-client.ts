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
  type Transport,
} from "@llm/core";
import { geminiModelPath } from "./gemini-connection.js";
import { mapGeminiError } from "./gemini-error.js";
import { GeminiModelURLs } from "./gemini-model-urls.js";

/** Gemini's limit on `requests` in one `batchEmbedContents`. */
export const GEMINI_MAX_INPUTS_PER_CALL = 100;

export interface GeminiEmbeddingClientConfig {
  model?: string;
  /** Normalized, without a trailing slash. */
  baseURL: string;
  headers: Record<string, string>;
  transport: Transport;
  limits?: ResponseLimits;
  maxInputsPerCall: number;
  maxParallelCalls?: number;
}

/** One `EmbedContentRequest`, alone (`embedContent`) or in a batch (`batchEmbedContents`). */
export interface GeminiEmbedContentRequest {
  model?: string;
  content: { parts: { text: string }[] };
  outputDimensionality?: number;
  /** `providerOptions.gemini`: `taskType`, `title`, … */
  [extra: string]: JsonValue | undefined;
}

/**
 * `EmbeddingClient` on Gemini: one input goes to `embedContent`, several to
 * `batchEmbedContents` (up to 100 per call). `providerOptions.gemini`
 * (`taskType`, `title`) joins every content request. Gemini reports no
 * token counts for embeddings, so `usage.inputTokens` is 0.
 */
export class GeminiEmbeddingClient implements EmbeddingClient {
  readonly provider = "gemini";
  readonly model?: string;
  readonly cacheScope: CacheScope;
  readonly maxInputsPerCall: number;
  readonly maxParallelCalls?: number;
  readonly #config: GeminiEmbeddingClientConfig;
  readonly #urls: GeminiModelURLs;

  constructor(config: GeminiEmbeddingClientConfig) {
    this.#config = config;
    this.#urls = new GeminiModelURLs(config.baseURL);
    if (config.model !== undefined) this.model = config.model;
    this.maxInputsPerCall = config.maxInputsPerCall;
    if (config.maxParallelCalls !== undefined) this.maxParallelCalls = config.maxParallelCalls;
    this.cacheScope = providerCacheScope({
      provider: this.provider,
      baseURL: config.baseURL,
      headers: config.headers,
    });
  }

  /** The URL and wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequest(request: EmbeddingRequest): {
    model: string;
    url: string;
    body: JsonValue;
    batch: boolean;
  } {
    const { model, inputs } = checkEmbeddingBatch(this, request);
    const path = geminiModelPath(model);
    const extra = request.providerOptions?.gemini;
    const contentRequest = (text: string, withModel: boolean): GeminiEmbedContentRequest => {
      const one: GeminiEmbedContentRequest = { content: { parts: [{ text }] } };
      if (withModel) one.model = path;
      if (request.dimensions !== undefined) one.outputDimensionality = request.dimensions;
      if (extra !== undefined) Object.assign(one, extra);
      return one;
    };
    if (inputs.length === 1) {
      return {
        model,
        url: this.#urls.url(model, ":embedContent"),
        body: contentRequest(inputs[0] as string, false) as JsonValue,
        batch: false,
      };
    }
    return {
      model,
      url: this.#urls.url(model, ":batchEmbedContents"),
      body: { requests: inputs.map((text) => contentRequest(text, true) as JsonValue) },
      batch: true,
    };
  }

  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const { model, url, body, batch } = this.buildRequest(request);
    if (request.inputs.length === 0) {
      return { provider: this.provider, model, embeddings: [], usage: { inputTokens: 0 } };
    }
    const config = this.#config;
    const result = await callJSON(
      config.transport,
      {
        provider: this.provider,
        url,
        headers: config.headers,
        body,
        mapError: mapGeminiError,
        ...(config.limits === undefined ? {} : { limits: config.limits }),
      },
      options,
    );
    const embeddings = this.#parse(result.value, batch);
    checkEmbeddingVectors(this.provider, embeddings, request.inputs.length, request.dimensions);
    return { provider: this.provider, model, embeddings, usage: { inputTokens: 0 } };
  }

  #parse(value: unknown, batch: boolean): Float32Array[] {
    if (!isRecord(value)) throw this.#notEmbeddings("response body");
    if (!batch) {
      const one = value.embedding;
      if (!isRecord(one)) throw this.#notEmbeddings("response body .embedding");
      return [float32FromNumbers(one.values, "response body .embedding.values")];
    }
    const all = value.embeddings;
    if (!Array.isArray(all)) throw this.#notEmbeddings("response body .embeddings");
    return all.map((item: unknown, i) =>
      float32FromNumbers(
        isRecord(item) ? item.values : undefined,
        `response body .embeddings[${i}].values`,
      ),
    );
  }

  #notEmbeddings(where: string): ParseError {
    return new ParseError("gemini returned a body without embeddings", {
      where,
      provider: this.provider,
    });
  }
}
