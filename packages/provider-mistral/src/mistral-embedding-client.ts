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
import { PROVIDER } from "./mistral-connection.js";
import { mistralErrorFromResponse } from "./mistral-error.js";

/**
 * Inputs per `/v1/embeddings` request by default. Mistral bounds a request by
 * its total tokens rather than a count; 32 texts of ordinary length stay well
 * inside it (the Vercel AI SDK's Mistral provider uses the same number).
 */
export const MISTRAL_MAX_INPUTS_PER_CALL = 32;

export interface MistralEmbeddingClientConfig {
  model?: string;
  /** Full URL of `/v1/embeddings`. */
  url: string;
  headers: Record<string, string>;
  transport: Transport;
  limits?: ResponseLimits;
  maxInputsPerCall: number;
  maxParallelCalls?: number;
}

/** The `/v1/embeddings` body. */
export interface MistralEmbeddingRequestBody {
  model: string;
  input: readonly string[];
  /** `codestral-embed` only (up to 3072); `mistral-embed` has one size, 1024. */
  output_dimension?: number;
  /**
   * `float` (default), `int8`, `uint8`, or `binary` / `ubinary` (eight dimensions
   * packed per value), through `providerOptions.mistral.output_dtype`.
   */
  output_dtype?: string;
  [extra: string]: JsonValue | readonly string[] | undefined;
}

/**
 * `EmbeddingClient` on Mistral's `POST /v1/embeddings`: `dimensions` becomes
 * `output_dimension`; `providerOptions.mistral` (`output_dtype`,
 * `encoding_format`) is merged into the body. Vectors come back as
 * `Float32Array`s, read from JSON numbers or base64 float32 bytes.
 */
export class MistralEmbeddingClient implements EmbeddingClient {
  readonly provider = PROVIDER;
  readonly model?: string;
  readonly cacheScope: CacheScope;
  readonly maxInputsPerCall: number;
  readonly maxParallelCalls?: number;
  readonly #config: MistralEmbeddingClientConfig;
  readonly #mapError = (info: HttpErrorInfo): LLMError =>
    mistralErrorFromResponse(info.status, info.headers, info.bodyText);

  constructor(config: MistralEmbeddingClientConfig) {
    this.#config = config;
    if (config.model !== undefined) this.model = config.model;
    this.maxInputsPerCall = config.maxInputsPerCall;
    if (config.maxParallelCalls !== undefined) this.maxParallelCalls = config.maxParallelCalls;
    this.cacheScope = providerCacheScope({
      provider: PROVIDER,
      baseURL: config.url,
      headers: config.headers,
    });
  }

  /** The wire body for `request`. Public so tests and tools can see exactly what is sent. */
  buildRequestBody(request: EmbeddingRequest): MistralEmbeddingRequestBody {
    const { model, inputs } = checkEmbeddingBatch(this, request);
    const body: MistralEmbeddingRequestBody = { model, input: inputs };
    if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
    const extra = request.providerOptions?.[PROVIDER];
    if (extra !== undefined) Object.assign(body, extra);
    return body;
  }

  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const body = this.buildRequestBody(request);
    const config = this.#config;
    const send = {
      provider: PROVIDER,
      url: config.url,
      headers: config.headers,
      body,
      mapError: this.#mapError,
      ...(config.limits === undefined ? {} : { limits: config.limits }),
    };
    const result = await callJSON(config.transport, send, options);
    const response = this.#parse(result.value, body);
    const requestId = result.headers["x-request-id"];
    if (requestId !== undefined) response.requestId = requestId;
    return response;
  }

  #parse(value: unknown, body: MistralEmbeddingRequestBody): EmbeddingResponse {
    if (!isRecord(value) || !Array.isArray(value.data)) {
      throw new ParseError(`${PROVIDER} returned a body that is not an embedding list`, {
        where: "response body .data",
        provider: PROVIDER,
      });
    }
    const count = body.input.length;
    if (value.data.length !== count) {
      throw new ParseError(
        `${PROVIDER} returned ${value.data.length} embeddings for ${count} inputs`,
        {
          where: "response body .data",
          provider: PROVIDER,
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
          `${PROVIDER} returned an embedding for no input (index ${String(index)})`,
          { where: `${where}.index`, provider: PROVIDER },
        );
      }
      const raw = isRecord(item) ? item.embedding : undefined;
      embeddings[slot] =
        typeof raw === "string"
          ? float32FromBase64(raw, `${where}.embedding`)
          : float32FromNumbers(raw, `${where}.embedding`);
    });
    // Packed binary dtypes hold eight dimensions per value: only their lengths' equality is checked.
    const packed = body.output_dtype === "binary" || body.output_dtype === "ubinary";
    checkEmbeddingVectors(PROVIDER, embeddings, count, packed ? undefined : body.output_dimension);
    const usage = isRecord(value.usage) ? value.usage.prompt_tokens : undefined;
    return {
      provider: PROVIDER,
      model: readOptionalString(value.model) ?? body.model,
      embeddings,
      usage: { inputTokens: readCount(usage) ?? 0 },
    };
  }
}
