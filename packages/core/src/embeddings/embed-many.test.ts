import { describe, expect, it } from "vitest";
import type { CallOptions } from "../client.js";
import {
  AbortError,
  ConfigError,
  InvalidRequestError,
  ParseError,
  ProviderError,
  TimeoutError,
} from "../errors/errors.js";
import { embed, embedMany } from "./embed-many.js";
import type { EmbeddingClient, EmbeddingRequest, EmbeddingResponse } from "./embedding-client.js";

/** A client that embeds each text as [length, first char code], records its calls, and can be told to fail or hang. */
class FakeEmbeddings implements EmbeddingClient {
  readonly provider = "fake";
  readonly model = "fake-embed";
  readonly calls: { request: EmbeddingRequest; options: CallOptions | undefined }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  failOn?: string;
  hang = false;
  shortBy = 0;
  constructor(readonly maxInputsPerCall: number) {}

  async embedBatch(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResponse> {
    this.calls.push({ request, options });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise<void>((resolve, reject) => {
        const signal = options?.signal;
        if (this.hang) {
          signal?.addEventListener("abort", () => reject(signal.reason ?? new AbortError()));
          return;
        }
        setImmediate(resolve);
      });
      if (this.failOn !== undefined && request.inputs.includes(this.failOn)) {
        throw new ProviderError("boom", { status: 500 });
      }
      const inputs = request.inputs.slice(this.shortBy);
      return {
        provider: this.provider,
        model: request.model ?? this.model,
        embeddings: inputs.map((t) => Float32Array.from([t.length, t.charCodeAt(0)])),
        usage: { inputTokens: inputs.length * 10 },
        cached: 0,
      };
    } finally {
      this.inFlight--;
    }
  }
}

const texts = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

describe("embedMany", () => {
  it("README example: embeds any number of texts with dimensions, parallelism and a deadline", async () => {
    const embeddings = new FakeEmbeddings(2);
    const texts = ["a", "bb", "ccc", "dddd", "eeeee"];
    const {
      embeddings: vectors,
      usage,
      batches,
    } = await embedMany(embeddings, texts, {
      dimensions: 256,
      maxParallelCalls: 2,
      timeoutMs: 30_000,
    });
    expect(vectors.map((v) => v[0])).toEqual([1, 2, 3, 4, 5]);
    expect(usage.inputTokens).toBe(50);
    expect(batches).toBe(3);
    expect(embeddings.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("batches to the client's limit, keeps input order and sums usage", async () => {
    const client = new FakeEmbeddings(3);
    const inputs = texts(8);
    const result = await embedMany(client, inputs);
    expect(client.calls.map((c) => c.request.inputs.length)).toEqual([3, 3, 2]);
    expect(result.embeddings.map((v) => v[1])).toEqual(inputs.map((t) => t.charCodeAt(0)));
    expect(result.embeddings.map((v) => v[0])).toEqual(inputs.map((t) => t.length));
    expect(result.usage).toEqual({ inputTokens: 80 });
    expect(result).toMatchObject({ provider: "fake", model: "fake-embed", batches: 3, cached: 0 });
  });

  it("keeps at most maxParallelCalls batches in flight", async () => {
    const client = new FakeEmbeddings(1);
    await embedMany(client, texts(10), { maxParallelCalls: 2 });
    expect(client.calls).toHaveLength(10);
    expect(client.maxInFlight).toBe(2);
  });

  it("passes model, dimensions, provider options and call headers to every batch", async () => {
    const client = new FakeEmbeddings(2);
    await embedMany(client, texts(3), {
      model: "other",
      dimensions: 2,
      providerOptions: { fake: { mode: "x" } },
      headers: { "x-a": "1" },
    });
    for (const { request, options } of client.calls) {
      expect(request).toMatchObject({
        model: "other",
        dimensions: 2,
        providerOptions: { fake: { mode: "x" } },
      });
      expect(options?.headers).toEqual({ "x-a": "1" });
    }
  });

  it("makes no call for no inputs", async () => {
    const client = new FakeEmbeddings(2);
    const result = await embedMany(client, []);
    expect(result.embeddings).toEqual([]);
    expect(client.calls).toHaveLength(0);
  });

  it("throws the first failing batch's error and aborts the batches in flight", async () => {
    const client = new FakeEmbeddings(1);
    const inputs = texts(6);
    client.failOn = "t0";
    const hanging = new FakeEmbeddings(1);
    hanging.hang = true;
    // One client that fails its first batch while its siblings hang: the failure must abort them.
    const mixed: EmbeddingClient = {
      provider: "fake",
      maxInputsPerCall: 1,
      embedBatch: (request, options) =>
        request.inputs[0] === "t0"
          ? client.embedBatch(request, options)
          : hanging.embedBatch(request, options),
    };
    await expect(embedMany(mixed, inputs, { maxParallelCalls: 3 })).rejects.toBeInstanceOf(
      ProviderError,
    );
    expect(hanging.calls.every((c) => c.options?.signal?.aborted)).toBe(true);
  });

  it("throws AbortError at once, without a call, when the signal is already aborted", async () => {
    const client = new FakeEmbeddings(2);
    const controller = new AbortController();
    controller.abort();
    await expect(embedMany(client, texts(3), { signal: controller.signal })).rejects.toBeInstanceOf(
      AbortError,
    );
    expect(client.calls).toHaveLength(0);
  });

  it("aborts the batches in flight when the caller aborts", async () => {
    const client = new FakeEmbeddings(1);
    client.hang = true;
    const controller = new AbortController();
    const pending = embedMany(client, texts(3), { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new AbortError("stop"));
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("ends every batch with a TimeoutError when timeoutMs passes", async () => {
    const client = new FakeEmbeddings(1);
    client.hang = true;
    await expect(embedMany(client, texts(2), { timeoutMs: 5 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(client.calls.every((c) => c.options?.timeoutMs === undefined)).toBe(true);
  });

  it("refuses a batch answer with fewer vectors than inputs", async () => {
    const client = new FakeEmbeddings(2);
    client.shortBy = 1;
    await expect(embedMany(client, texts(2))).rejects.toBeInstanceOf(ParseError);
  });

  it.each([
    [{ maxParallelCalls: 0 }, 2, "maxParallelCalls"],
    [{}, 0, "maxInputsPerCall"],
  ])("refuses %j with a ConfigError naming the setting", async (options, perCall, path) => {
    const error = await embedMany(new FakeEmbeddings(perCall), ["a"], options).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe(path);
  });

  it("refuses inputs that are not strings, naming the index", async () => {
    await expect(embedMany(new FakeEmbeddings(2), ["a", 3 as unknown as string])).rejects.toThrow(
      "inputs[1]: expected a string, got number",
    );
  });
});

describe("embed", () => {
  it("embeds one text", async () => {
    const result = await embed(new FakeEmbeddings(4), "hello");
    expect(Array.from(result.embedding)).toEqual([5, 104]);
    expect(result).toMatchObject({
      model: "fake-embed",
      usage: { inputTokens: 10 },
      cached: false,
    });
  });

  it("refuses an input that is not a string", async () => {
    await expect(embed(new FakeEmbeddings(4), 1 as unknown as string)).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
  });
});
