import { ConfigError, InvalidRequestError, ParseError } from "../errors/errors.js";
import type { EmbeddingClient, EmbeddingRequest } from "./embedding-client.js";

/** What a provider sends for one batch, checked before anything goes on the wire. */
export interface CheckedEmbeddingBatch {
  model: string;
  inputs: readonly string[];
}

/**
 * Checks a batch against the client: a model (the request's or the
 * client's), inputs that are strings, no more than `maxInputsPerCall` of
 * them, and a positive integer `dimensions`. Each problem is a typed error
 * naming the field, thrown without sending.
 */
export function checkEmbeddingBatch(
  client: Pick<EmbeddingClient, "provider" | "model" | "maxInputsPerCall">,
  request: EmbeddingRequest,
): CheckedEmbeddingBatch {
  const provider = client.provider;
  const model = request.model ?? client.model;
  if (!model) {
    throw new ConfigError(
      `No embedding model for ${provider}: set request.model or settings.model`,
      {
        provider,
        issues: [{ path: "model", message: "required" }],
      },
    );
  }
  checkInputs(request.inputs, provider, "inputs");
  if (request.inputs.length > client.maxInputsPerCall) {
    throw new InvalidRequestError(
      `${provider} takes at most ${client.maxInputsPerCall} inputs per embedding call, got ${request.inputs.length} (use embedMany to batch)`,
      { provider },
    );
  }
  if (request.dimensions !== undefined) checkDimensions(request.dimensions, provider);
  return { model, inputs: request.inputs };
}

/** Throws `InvalidRequestError` naming the first entry of `inputs` that is not a string. */
export function checkInputs(inputs: unknown, provider: string, where: string): void {
  if (!Array.isArray(inputs)) {
    throw new InvalidRequestError(
      `${where}: expected an array of strings, got ${typeName(inputs)}`,
      {
        provider,
      },
    );
  }
  for (let i = 0; i < inputs.length; i++) {
    if (typeof inputs[i] !== "string") {
      throw new InvalidRequestError(
        `${where}[${i}]: expected a string, got ${typeName(inputs[i])}`,
        { provider },
      );
    }
  }
}

function checkDimensions(dimensions: number, provider: string): void {
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new InvalidRequestError(`dimensions: expected a positive integer, got ${dimensions}`, {
      provider,
    });
  }
}

/**
 * Checks what a provider answered: one vector per input, all of one length
 * (the requested `dimensions` when one was asked for). A short or ragged
 * answer is a `ParseError`, never a silently misaligned result.
 */
export function checkEmbeddingVectors(
  provider: string,
  vectors: readonly Float32Array[],
  inputs: number,
  dimensions: number | undefined,
): void {
  if (vectors.length !== inputs) {
    throw new ParseError(`${provider} returned ${vectors.length} embeddings for ${inputs} inputs`, {
      where: "response body embeddings",
      provider,
    });
  }
  const size = dimensions ?? vectors[0]?.length;
  for (let i = 0; i < vectors.length; i++) {
    const length = (vectors[i] as Float32Array).length;
    if (length === 0 || length !== size) {
      throw new ParseError(
        `${provider} returned an embedding of ${length} dimensions, expected ${size}`,
        { where: `response body embeddings[${i}]`, provider },
      );
    }
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}
