import type { CallOptions } from "../client.js";
import { ConfigError, ParseError } from "../errors/errors.js";
import { openCallSignal } from "../provider-utils/call-signal.js";
import { checkInputs } from "./embedding-batch.js";
import type { EmbeddingClient, EmbeddingRequest, EmbeddingUsage } from "./embedding-client.js";

/** What `embed` / `embedMany` pass on with each batch, besides the call options. */
export interface EmbedOptions extends CallOptions {
  model?: string;
  dimensions?: number;
  providerOptions?: EmbeddingRequest["providerOptions"];
}

export interface EmbedManyOptions extends EmbedOptions {
  /** Batches in flight at once. Default: the client's `maxParallelCalls`, else 4. */
  maxParallelCalls?: number;
}

export interface EmbedManyResult {
  provider: string;
  model: string;
  /** One vector per input, in input order. */
  embeddings: Float32Array[];
  /** Summed over every batch. */
  usage: EmbeddingUsage;
  /** `embedBatch` calls made. */
  batches: number;
  /** Vectors served from a cache (when the client is a cached one). */
  cached: number;
}

export interface EmbedResult {
  provider: string;
  model: string;
  embedding: Float32Array;
  usage: EmbeddingUsage;
  cached: boolean;
}

/** Batches in flight at once when neither the call nor the client says. */
export const DEFAULT_EMBED_PARALLEL_CALLS = 4;

/** Embeds one text: `embedMany` with one input. */
export async function embed(
  client: EmbeddingClient,
  input: string,
  options: EmbedOptions = {},
): Promise<EmbedResult> {
  checkInputs([input], client.provider, "input");
  const result = await embedMany(client, [input], options);
  return {
    provider: result.provider,
    model: result.model,
    embedding: result.embeddings[0] as Float32Array,
    usage: result.usage,
    cached: result.cached === 1,
  };
}

/**
 * Embeds any number of texts: split into batches of the client's
 * `maxInputsPerCall`, at most `maxParallelCalls` of them in flight, results
 * put back in input order and usage summed.
 *
 * `timeoutMs` bounds the whole call, all batches together; the caller's
 * `signal` aborts every batch in flight. The first batch that fails aborts
 * the others and its error is thrown: a partial result would be a list of
 * vectors that no longer lines up with the inputs.
 */
export async function embedMany(
  client: EmbeddingClient,
  inputs: readonly string[],
  options: EmbedManyOptions = {},
): Promise<EmbedManyResult> {
  const provider = client.provider;
  checkInputs(inputs, provider, "inputs");
  const perCall = client.maxInputsPerCall;
  const parallel =
    options.maxParallelCalls ?? client.maxParallelCalls ?? DEFAULT_EMBED_PARALLEL_CALLS;
  checkPositive(perCall, "maxInputsPerCall", provider);
  checkPositive(parallel, "maxParallelCalls", provider);

  const {
    model,
    dimensions,
    providerOptions,
    maxParallelCalls: _,
    timeoutMs: __,
    ...rest
  } = options;
  const result: EmbedManyResult = {
    provider,
    model: model ?? client.model ?? "",
    embeddings: new Array<Float32Array>(inputs.length),
    usage: { inputTokens: 0 },
    batches: 0,
    cached: 0,
  };
  if (inputs.length === 0) return result;

  // Our own abort, so the first failing batch can stop its siblings; the deadline spans every batch.
  const call = openCallSignal(options, true);
  const callOptions: CallOptions = { ...rest };
  if (call.signal !== undefined) callOptions.signal = call.signal;
  const batchCount = Math.ceil(inputs.length / perCall);
  let next = 0;

  const runBatch = async (batch: number): Promise<void> => {
    const start = batch * perCall;
    const slice = inputs.slice(start, start + perCall);
    const request: EmbeddingRequest = { inputs: slice };
    if (model !== undefined) request.model = model;
    if (dimensions !== undefined) request.dimensions = dimensions;
    if (providerOptions !== undefined) request.providerOptions = providerOptions;
    const response = await client.embedBatch(request, callOptions);
    if (response.embeddings.length !== slice.length) {
      throw new ParseError(
        `${provider} returned ${response.embeddings.length} embeddings for ${slice.length} inputs`,
        { where: `batch ${batch}`, provider },
      );
    }
    for (let i = 0; i < slice.length; i++) {
      result.embeddings[start + i] = response.embeddings[i] as Float32Array;
    }
    result.usage.inputTokens += response.usage.inputTokens;
    result.cached += response.cached ?? 0;
    result.batches++;
    result.model = response.model;
  };

  const worker = async (): Promise<void> => {
    while (next < batchCount) {
      try {
        await runBatch(next++);
      } catch (error) {
        call.abort(error);
        throw error;
      }
    }
  };

  try {
    const workers: Promise<void>[] = [];
    for (let i = 0; i < Math.min(parallel, batchCount); i++) workers.push(worker());
    await Promise.all(workers);
    return result;
  } finally {
    call.dispose();
  }
}

function checkPositive(value: number, path: string, provider: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${path} must be a positive integer, got ${value}`, {
      provider,
      issues: [{ path, message: `expected a positive integer, got ${value}` }],
    });
  }
}
