import { isRecord } from "@llm/core";
import { asString, InvalidRequestError } from "../normalized-request.js";
import { estimateTokens } from "../text-chunks.js";
import type { EmbeddingCall, EmbeddingRoute } from "./embedding-routes.js";
import { seededVector, vectorToBase64 } from "./seeded-vector.js";

/** Mistral's `output_dtype` values. */
export type MistralEmbeddingDtype = "float" | "int8" | "uint8" | "binary" | "ubinary";

interface MistralEmbeddingCall extends EmbeddingCall {
  dtype: MistralEmbeddingDtype;
}

/** The mock's bound on `input` entries in one request. */
export const MISTRAL_MAX_INPUTS = 512;

const DTYPES: readonly MistralEmbeddingDtype[] = ["float", "int8", "uint8", "binary", "ubinary"];

/**
 * `mistral-embed` has one size (1024) and takes no `output_dimension`; `codestral-embed`
 * answers 1536 values by default and any `output_dimension` up to 3072.
 */
const MODELS: Record<string, { native: number; max: number } | undefined> = {
  "mistral-embed": { native: 1024, max: 1024 },
  "codestral-embed": { native: 1536, max: 3072 },
};

/** `POST /v1/embeddings` as Mistral speaks it: `input`, `output_dimension`, `output_dtype`. */
export const mistralEmbeddingRoute: EmbeddingRoute = {
  pathModel: undefined,
  parse(body): MistralEmbeddingCall {
    if (!isRecord(body)) throw new InvalidRequestError("Invalid JSON body");
    const model = asString(body.model);
    if (!model) throw new InvalidRequestError("body.model: Field required");
    const input = body.input;
    const inputs = typeof input === "string" ? [input] : input;
    if (
      !Array.isArray(inputs) ||
      inputs.length === 0 ||
      inputs.some((t) => typeof t !== "string")
    ) {
      throw new InvalidRequestError(
        "body.input: Input should be a valid string or list of strings",
      );
    }
    if (inputs.length > MISTRAL_MAX_INPUTS) {
      throw new InvalidRequestError(`body.input: at most ${MISTRAL_MAX_INPUTS} inputs`);
    }
    const sizes = MODELS[model.replace(/-\d{4}$/, "")] ?? { native: 1024, max: 1024 };
    const dimensions = body.output_dimension ?? sizes.native;
    if (
      typeof dimensions !== "number" ||
      !Number.isInteger(dimensions) ||
      dimensions < 1 ||
      dimensions > sizes.max ||
      (body.output_dimension !== undefined &&
        sizes.max === sizes.native &&
        dimensions !== sizes.native)
    ) {
      throw new InvalidRequestError(
        `body.output_dimension: ${model} supports output dimensions from 1 to ${sizes.max}`,
      );
    }
    const dtype = body.output_dtype ?? "float";
    if (!DTYPES.includes(dtype as MistralEmbeddingDtype)) {
      throw new InvalidRequestError(`body.output_dtype: Input should be ${DTYPES.join(", ")}`);
    }
    const format = body.encoding_format ?? "float";
    if (format !== "float" && format !== "base64") {
      throw new InvalidRequestError("body.encoding_format: Input should be 'float' or 'base64'");
    }
    return {
      model,
      inputs: inputs as string[],
      dimensions,
      base64: format === "base64",
      dtype: dtype as MistralEmbeddingDtype,
    };
  },
  render(call, seed) {
    const { dtype } = call as MistralEmbeddingCall;
    let tokens = 0;
    for (const text of call.inputs) tokens += estimateTokens(text.length);
    return {
      id: `embd-${seed.toString(16)}${call.inputs.length.toString(16)}`,
      object: "list",
      data: call.inputs.map((text, index) => {
        const vector = seededVector(text, call.dimensions, seed);
        const values = dtype === "float" ? vector : quantize(vector, dtype);
        return {
          object: "embedding",
          embedding: call.base64 && dtype === "float" ? vectorToBase64(vector) : Array.from(values),
          index,
        };
      }),
      model: call.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens, completion_tokens: 0 },
    };
  },
};

/**
 * Mistral's quantized outputs: `int8` / `uint8` scale each value to a byte; `binary` /
 * `ubinary` pack the signs of eight values into one byte (offset by 128 for `binary`).
 */
function quantize(vector: Float32Array, dtype: Exclude<MistralEmbeddingDtype, "float">): number[] {
  if (dtype === "int8") return Array.from(vector, (v) => Math.max(-128, Math.round(v * 127)));
  if (dtype === "uint8") return Array.from(vector, (v) => Math.round((v + 1) * 127.5));
  const bytes: number[] = [];
  for (let i = 0; i < vector.length; i += 8) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) {
      if ((vector[i + bit] ?? 0) > 0) byte |= 1 << (7 - bit);
    }
    bytes.push(dtype === "binary" ? byte - 128 : byte);
  }
  return bytes;
}
