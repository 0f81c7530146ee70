import { isRecord } from "@llm/core";
import { asString, InvalidRequestError } from "../normalized-request.js";
import { azureDeploymentOf, isAzureEmbeddingsRoute } from "../providers/azure-openai.js";
import { estimateTokens } from "../text-chunks.js";
import type { ProviderName } from "../types.js";
import { mistralEmbeddingRoute } from "./mistral-embedding-route.js";
import { seededVector, vectorToBase64 } from "./seeded-vector.js";

/** An embeddings request as the mock understood it. */
export interface EmbeddingCall {
  model: string;
  inputs: string[];
  dimensions: number;
  /** OpenAI only: vectors as base64 float32 bytes instead of JSON numbers. */
  base64: boolean;
}

/** One provider's embeddings endpoint: which paths it answers, how it reads a body, how it answers. */
export interface EmbeddingRoute {
  /** The model named by the path (Gemini), if any. */
  readonly pathModel: string | undefined;
  parse(body: unknown): EmbeddingCall;
  render(call: EmbeddingCall, seed: number): unknown;
}

/** The route `method path` is, or `undefined` when it is not an embeddings endpoint of `provider`. */
export function matchEmbeddingRoute(
  provider: ProviderName,
  method: string,
  path: string,
): EmbeddingRoute | undefined {
  if (method !== "POST") return undefined;
  switch (provider) {
    case "openai":
      return path === "/v1/embeddings" ? openaiRoute : undefined;
    case "ollama":
      return path === "/api/embed" ? ollamaRoute : undefined;
    case "azure-openai":
      return isAzureEmbeddingsRoute(method, path) ? azureRoute(azureDeploymentOf(path)) : undefined;
    case "mistral":
      return path === "/v1/embeddings" ? mistralEmbeddingRoute : undefined;
    case "gemini": {
      const match = GEMINI_PATH.exec(path);
      if (match === null) return undefined;
      return geminiRoute(match[1] as string, match[2] === "batchEmbedContents");
    }
    case "bedrock": {
      const match = TITAN_PATH.exec(path);
      return match === null ? undefined : titanRoute(decodeURIComponent(match[1] as string));
    }
    default:
      return undefined;
  }
}

/** OpenAI's per-request limit on `input`. */
export const OPENAI_MAX_INPUTS = 2048;
/** Gemini's limit on `requests` in one `batchEmbedContents`. */
export const GEMINI_MAX_BATCH = 100;

/** InvokeModel; the mock answers it for Titan embedding models (`amazon.titan-embed-*`). */
const TITAN_PATH = /^\/model\/(amazon\.titan-embed[^/]*)\/invoke$/;
const GEMINI_PATH = /^\/(?:v1beta|v1alpha|v1)\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;

/** Native sizes of the models the mock knows; others get the family default. */
const DIMENSIONS: Record<string, number> = {
  "text-embedding-3-large": 3072,
  "text-embedding-3-small": 1536,
  "text-embedding-ada-002": 1536,
  "gemini-embedding-001": 3072,
  "text-embedding-004": 768,
  "nomic-embed-text": 768,
  "all-minilm": 384,
  "amazon.titan-embed-text-v2": 1024,
  "amazon.titan-embed-text-v1": 1536,
};
const DEFAULT_DIMENSIONS: Record<string, number> = {
  openai: 1536,
  gemini: 768,
  ollama: 768,
  bedrock: 1024,
};

function nativeSize(provider: string, model: string): number {
  return DIMENSIONS[model.replace(/:.*$/, "")] ?? (DEFAULT_DIMENSIONS[provider] as number);
}

function dimensionsOf(value: unknown, field: string, native: number): number {
  if (value === undefined || value === null) return native;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > native) {
    throw new InvalidRequestError(`Invalid '${field}': must be an integer between 1 and ${native}`);
  }
  return value;
}

function vectors(call: EmbeddingCall, seed: number): Float32Array[] {
  return call.inputs.map((text) => seededVector(text, call.dimensions, seed));
}

function promptTokens(call: EmbeddingCall): number {
  let tokens = 0;
  for (const text of call.inputs) tokens += estimateTokens(text.length);
  return tokens;
}

const openaiRoute: EmbeddingRoute = {
  pathModel: undefined,
  parse(body) {
    if (!isRecord(body))
      throw new InvalidRequestError("We could not parse the JSON body of your request.");
    const model = asString(body.model);
    if (!model) throw new InvalidRequestError("you must provide a model parameter");
    const input = body.input;
    const inputs = typeof input === "string" ? [input] : input;
    if (
      !Array.isArray(inputs) ||
      inputs.length === 0 ||
      inputs.some((t) => typeof t !== "string")
    ) {
      throw new InvalidRequestError("'$.input' is invalid. Please check the API reference.");
    }
    if (inputs.length > OPENAI_MAX_INPUTS) {
      throw new InvalidRequestError(`'$.input' is too long: at most ${OPENAI_MAX_INPUTS} inputs`);
    }
    const format = body.encoding_format;
    if (format !== undefined && format !== "float" && format !== "base64") {
      throw new InvalidRequestError("Invalid 'encoding_format': expected 'float' or 'base64'");
    }
    return {
      model,
      inputs: inputs as string[],
      dimensions: dimensionsOf(body.dimensions, "dimensions", nativeSize("openai", model)),
      base64: format === "base64",
    };
  },
  render(call, seed) {
    const tokens = promptTokens(call);
    return {
      object: "list",
      data: vectors(call, seed).map((vector, index) => ({
        object: "embedding",
        index,
        embedding: call.base64 ? vectorToBase64(vector) : Array.from(vector),
      })),
      model: call.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  },
};

/** OpenAI's format; on a deployment route the deployment is the model and `model` may be left out. */
function azureRoute(deployment: string | undefined): EmbeddingRoute {
  return {
    pathModel: deployment,
    parse(body) {
      const withModel =
        deployment !== undefined && isRecord(body) && body.model === undefined
          ? { ...body, model: deployment }
          : body;
      return openaiRoute.parse(withModel);
    },
    render: openaiRoute.render,
  };
}

const ollamaRoute: EmbeddingRoute = {
  pathModel: undefined,
  parse(body) {
    if (!isRecord(body)) throw new InvalidRequestError("invalid character in request body");
    const model = asString(body.model);
    if (!model) throw new InvalidRequestError("model is required");
    const input = body.input;
    const inputs = typeof input === "string" ? [input] : input;
    if (!Array.isArray(inputs) || inputs.some((t) => typeof t !== "string")) {
      throw new InvalidRequestError("invalid input type");
    }
    return {
      model,
      inputs: inputs as string[],
      dimensions: dimensionsOf(body.dimensions, "dimensions", nativeSize("ollama", model)),
      base64: false,
    };
  },
  render(call, seed) {
    return {
      model: call.model,
      embeddings: vectors(call, seed).map((vector) => Array.from(vector)),
      total_duration: 14_143_917,
      load_duration: 1_019_500,
      prompt_eval_count: promptTokens(call),
    };
  },
};

function geminiContentText(content: unknown, where: string): string {
  const parts = isRecord(content) ? content.parts : undefined;
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new InvalidRequestError(`* ${where}.content.parts: contents.parts must not be empty.`);
  }
  return parts.map((part) => (isRecord(part) ? (asString(part.text) ?? "") : "")).join("");
}

function geminiRoute(model: string, batch: boolean): EmbeddingRoute {
  const native = nativeSize("gemini", model);
  return {
    pathModel: model,
    parse(body) {
      if (!isRecord(body)) throw new InvalidRequestError("Invalid JSON payload received.");
      if (!batch) {
        return {
          model,
          inputs: [geminiContentText(body.content, "EmbedContentRequest")],
          dimensions: dimensionsOf(body.outputDimensionality, "outputDimensionality", native),
          base64: false,
        };
      }
      const requests = body.requests;
      if (!Array.isArray(requests) || requests.length === 0) {
        throw new InvalidRequestError("* BatchEmbedContentsRequest.requests: must not be empty");
      }
      if (requests.length > GEMINI_MAX_BATCH) {
        throw new InvalidRequestError(
          `* BatchEmbedContentsRequest.requests: at most ${GEMINI_MAX_BATCH} requests can be in one batch`,
        );
      }
      const first = isRecord(requests[0]) ? requests[0] : {};
      return {
        model,
        inputs: requests.map((request, i) =>
          geminiContentText(isRecord(request) ? request.content : undefined, `requests[${i}]`),
        ),
        dimensions: dimensionsOf(first.outputDimensionality, "outputDimensionality", native),
        base64: false,
      };
    },
    render(call, seed) {
      const all = vectors(call, seed).map((vector) => ({ values: Array.from(vector) }));
      return batch ? { embeddings: all } : { embedding: all[0] };
    },
  };
}

/** Titan Text Embeddings through InvokeModel: one `inputText` per call; V2 takes 256, 512 or 1024 dimensions. */
function titanRoute(model: string): EmbeddingRoute {
  const native = nativeSize("bedrock", model);
  return {
    pathModel: model,
    parse(body) {
      if (!isRecord(body))
        throw new InvalidRequestError(
          "Malformed input request, please reformat your input and try again.",
        );
      const text = body.inputText;
      if (typeof text !== "string" || text === "") {
        throw new InvalidRequestError(
          "Malformed input request: #: required key [inputText] not found, please reformat your input and try again.",
        );
      }
      const dimensions = body.dimensions ?? native;
      if (
        dimensions !== 256 &&
        dimensions !== 512 &&
        dimensions !== 1024 &&
        dimensions !== native
      ) {
        throw new InvalidRequestError(
          `Malformed input request: #/dimensions: ${String(dimensions)} is not a valid enum value, please reformat your input and try again.`,
        );
      }
      return { model, inputs: [text], dimensions: dimensions as number, base64: false };
    },
    render(call, seed) {
      const embedding = Array.from(vectors(call, seed)[0] as Float32Array);
      return {
        embedding,
        embeddingsByType: { float: embedding },
        inputTextTokenCount: promptTokens(call),
      };
    },
  };
}
