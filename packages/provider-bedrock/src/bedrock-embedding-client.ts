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
  type JsonObject,
  joinURL,
  ParseError,
  type ResponseLimits,
  readCount,
  type Transport,
} from "@llm/core";
import { mapBedrockError } from "./bedrock-error.js";

/** Titan Text Embeddings V2, the default embeddings model. */
export const BEDROCK_DEFAULT_EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0";
/** InvokeModel on Titan embeds one text per call; `embedMany` runs calls side by side. */
export const BEDROCK_DEFAULT_EMBEDDING_PARALLELISM = 8;

export interface BedrockEmbeddingClientConfig {
  model?: string;
  baseURL: string;
  headers: Record<string, string>;
  transport: Transport;
  cacheScope: CacheScope;
  limits?: ResponseLimits;
  maxParallelCalls?: number;
}

/** The Titan Text Embeddings body (`inputText`, and V2's `dimensions` / `normalize`). */
export interface TitanEmbeddingRequestBody {
  inputText: string;
  dimensions?: number;
  normalize?: boolean;
}

const PROVIDER = "bedrock";

/**
 * `EmbeddingClient` on InvokeModel (`POST /model/{modelId}/invoke`) for the
 * Titan Text Embeddings models: one text per call (`maxInputsPerCall: 1`),
 * `request.dimensions` as Titan V2's `dimensions` (256, 512 or 1024),
 * `providerOptions.bedrock` merged into the body (e.g. `{ normalize: false }`),
 * usage from `inputTextTokenCount`. Signed and scoped like the chat client.
 */
export class BedrockEmbeddingClient implements EmbeddingClient {
  readonly provider = PROVIDER;
  readonly model: string;
  readonly cacheScope: CacheScope;
  readonly maxInputsPerCall = 1;
  readonly maxParallelCalls: number;
  readonly #config: BedrockEmbeddingClientConfig;

  constructor(config: BedrockEmbeddingClientConfig) {
    this.#config = config;
    this.model = config.model ?? BEDROCK_DEFAULT_EMBEDDING_MODEL;
    this.cacheScope = config.cacheScope;
    this.maxParallelCalls = config.maxParallelCalls ?? BEDROCK_DEFAULT_EMBEDDING_PARALLELISM;
  }

  /** The model id and wire body for `request`. Public so tests can see exactly what is sent. */
  buildRequestBody(request: EmbeddingRequest): { model: string; body: TitanEmbeddingRequestBody } {
    const { model, inputs } = checkEmbeddingBatch(this, request);
    const body: TitanEmbeddingRequestBody = { inputText: inputs[0] as string };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    const extra = request.providerOptions?.[PROVIDER];
    if (extra !== undefined) Object.assign(body, extra as JsonObject);
    return { model, body };
  }

  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    const { model, body } = this.buildRequestBody(request);
    const config = this.#config;
    const result = await callJSON(
      config.transport,
      {
        provider: PROVIDER,
        url: joinURL(config.baseURL, `model/${encodeURIComponent(model)}/invoke`),
        headers: config.headers,
        body: JSON.stringify(body),
        mapError: mapBedrockError,
        ...(config.limits === undefined ? {} : { limits: config.limits }),
      },
      options,
    );
    const value = result.value;
    if (!isRecord(value)) {
      throw new ParseError(`${PROVIDER} returned a body that is not an embedding`, {
        where: "response body",
        provider: PROVIDER,
      });
    }
    const embeddings = [float32FromNumbers(value.embedding, "response body .embedding")];
    checkEmbeddingVectors(PROVIDER, embeddings, 1, body.dimensions);
    const tokens = value.inputTextTokenCount;
    const response: EmbeddingResponse = {
      provider: PROVIDER,
      model,
      embeddings,
      usage: { inputTokens: readCount(tokens) ?? 0 },
    };
    const requestId = result.headers["x-amzn-requestid"];
    if (requestId !== undefined) response.requestId = requestId;
    return response;
  }
}
