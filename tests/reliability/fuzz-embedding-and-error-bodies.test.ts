import {
  chatResponseProblem,
  createFetchTransport,
  type EmbeddingClient,
  type EmbeddingResponse,
  type LLMClient,
  streamEventProblem,
  type Transport,
} from "@llm/core";
import { PROVIDER_NAMES, startMockProvider } from "@llm/testkit";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { wireText } from "./support/chunks.js";
import {
  EMBEDDING_PROVIDERS,
  type EmbeddingProvider,
  embeddingClientFor,
} from "./support/embedding-clients.js";
import { fuzzParams } from "./support/fuzz.js";
import { mutatedJson, mutatedText } from "./support/mutate.js";
import { clientFor } from "./support/provider-clients.js";
import { expectTypedFailure } from "./support/typed-failure.js";
import { failOnUnhandled } from "./support/unhandled.js";
import { wireSample } from "./support/wire-samples.js";

const RUNS = 150;
const ORIGIN = "http://fuzz.invalid";

/** What the fake fetch answers next: no socket, so many runs stay well under a second each. */
interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function replyingTransport(next: () => Reply): Transport {
  return createFetchTransport({
    fetch: async () => {
      const { status, headers, body } = next();
      return new Response(status === 204 || status === 304 ? null : body, { status, headers });
    },
  });
}

/** A transport that goes to the real server and keeps the last body it read: a seed taker. */
function recordingTransport(into: { body: string }): Transport {
  return createFetchTransport({
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      into.body = await response.text();
      return new Response(into.body, { status: response.status, headers: response.headers });
    },
  });
}

/** Two inputs where the API takes a batch (Bedrock's Titan takes one). */
function inputsFor(client: EmbeddingClient): string[] {
  return ["alpha", "beta"].slice(0, client.maxInputsPerCall);
}

/** A real JSON body damaged as JSON or as bytes, or something else entirely. */
function damagedJson(seed: string): fc.Arbitrary<string> {
  return fc.oneof(
    mutatedJson(JSON.parse(seed)).map((v) => JSON.stringify(v) ?? ""),
    mutatedJson(JSON.parse(seed))
      .chain((v) => mutatedJson(v))
      .map((v) => JSON.stringify(v) ?? ""),
    mutatedText(seed),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    wireText,
  );
}

/** Header values a proxy or a broken upstream might send. */
const oddHeaderValue = fc.oneof(
  fc.constantFrom("", " ", "-1", "NaN", "1e400", "Infinity", "0x10", "9".repeat(40), "1, 2", "-0"),
  fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "")),
  fc.nat().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
);

const headersArb = fc.record(
  {
    "retry-after": oddHeaderValue,
    "retry-after-ms": oddHeaderValue,
    "x-ratelimit-remaining-requests": oddHeaderValue,
    "x-ratelimit-reset-requests": oddHeaderValue,
    "x-ratelimit-reset-tokens": oddHeaderValue,
    "anthropic-ratelimit-requests-reset": oddHeaderValue,
    "x-amzn-errortype": oddHeaderValue,
    "x-request-id": oddHeaderValue,
    "request-id": oddHeaderValue,
    "x-amzn-requestid": oddHeaderValue,
  },
  { requiredKeys: [] },
);

/** Each provider's error body as its API documents it: the seeds of the error-body fuzz. */
const ERROR_SEEDS: Record<(typeof PROVIDER_NAMES)[number], string[]> = {
  openai: [
    '{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
    '{"error":{"message":"Incorrect API key","type":"invalid_request_error","param":"model","code":"invalid_api_key"}}',
  ],
  "azure-openai": [
    '{"error":{"code":"content_filter","message":"filtered","param":"prompt","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"}}}}}',
    '{"error":{"code":"429","message":"Requests have exceeded the limit. Please retry after 2 seconds."}}',
  ],
  mistral: [
    '{"object":"error","message":"Unauthorized","type":"invalid_request_error","param":null,"code":null}',
    '{"object":"error","message":{"detail":[{"type":"missing","loc":["body","model"],"msg":"Field required","input":{}}]},"type":"invalid_request_message_error","param":null,"code":null}',
  ],
  anthropic: [
    '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}',
    '{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}',
  ],
  gemini: [
    '{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"17s"},{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}',
    '[{"error":{"code":400,"message":"Invalid JSON payload","status":"INVALID_ARGUMENT"}}]',
  ],
  ollama: ['{"error":"model \\"llama3.2\\" not found, try pulling it first"}'],
  bedrock: [
    '{"message":"Too many requests, please wait before trying again."}',
    '{"Message":"The security token included in the request is invalid.","__type":"UnrecognizedClientException"}',
  ],
};

/** How each provider's stream carries an error object mid-stream, around a (damaged) error body. */
function streamErrorFrame(provider: (typeof PROVIDER_NAMES)[number], body: string): string {
  switch (provider) {
    case "anthropic":
      return `event: error\ndata: ${body}\n\n`;
    case "ollama":
      return `${body}\n`;
    case "bedrock":
      return body; // binary framing: covered by fuzz-provider-bodies' exception messages
    default:
      return `data: ${body}\n\n`;
  }
}

const errorStatus = fc.constantFrom(
  400,
  401,
  403,
  404,
  408,
  409,
  413,
  422,
  424,
  429,
  500,
  502,
  503,
  504,
  529,
);
const anyStatus = fc.oneof(
  fc.constant(200),
  fc.constant(200),
  errorStatus,
  fc.integer({ min: 200, max: 599 }),
);

describe("bad outside input fails typed (embeddings answers, error bodies, odd headers)", () => {
  failOnUnhandled();

  describe.each(EMBEDDING_PROVIDERS)("the %s embeddings client", (provider: EmbeddingProvider) => {
    let seed: string;
    beforeAll(async () => {
      const mock = await startMockProvider({ provider });
      try {
        const recorded = { body: "" };
        const client = embeddingClientFor(provider, mock.origin, recordingTransport(recorded));
        const answer = await client.embedBatch({ inputs: inputsFor(client) });
        expect(answer.embeddings).toHaveLength(inputsFor(client).length);
        seed = recorded.body;
      } finally {
        await mock.close();
      }
    });

    it("answers one finite vector per input or throws a typed error, for damaged answers", async () => {
      const seen = { ok: 0, failed: 0 };
      let next: Reply = { status: 200, headers: {}, body: "" };
      const client = embeddingClientFor(
        provider,
        ORIGIN,
        replyingTransport(() => next),
      );
      await fc.assert(
        fc.asyncProperty(
          anyStatus,
          headersArb,
          damagedJson(seed),
          async (status, headers, body) => {
            next = { status, headers: { "content-type": "application/json", ...headers }, body };
            let answer: EmbeddingResponse | undefined;
            try {
              answer = await client.embedBatch({ inputs: inputsFor(client) });
            } catch (error) {
              expectTypedFailure(error);
              seen.failed++;
              return;
            }
            expect(answer.embeddings).toHaveLength(inputsFor(client).length);
            for (const vector of answer.embeddings) expect(vector).toBeInstanceOf(Float32Array);
            expect(typeof answer.model).toBe("string");
            expect(Number.isFinite(answer.usage.inputTokens)).toBe(true);
            seen.ok++;
          },
        ),
        fuzzParams(RUNS),
      );
      expect(seen.ok).toBeGreaterThan(0);
      expect(seen.failed).toBeGreaterThan(0);
    });

    it("fails typed on any error body its API might send, with odd headers", async () => {
      let next: Reply = { status: 500, headers: {}, body: "" };
      const client = embeddingClientFor(
        provider,
        ORIGIN,
        replyingTransport(() => next),
      );
      const seeds = ERROR_SEEDS[provider];
      await fc.assert(
        fc.asyncProperty(
          errorStatus,
          headersArb,
          fc.constantFrom(...seeds).chain(damagedJson),
          async (status, headers, body) => {
            next = { status, headers: { "content-type": "application/json", ...headers }, body };
            const error = await client.embedBatch({ inputs: ["alpha"] }).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error, "an error status answered as a success").toBeDefined();
            expectTypedFailure(error);
          },
        ),
        fuzzParams(RUNS),
      );
    });
  });

  describe.each(PROVIDER_NAMES)("the %s chat client", (provider) => {
    it.skipIf(provider === "bedrock")(
      "a stream carrying an error object of any shape mid-stream fails typed",
      async () => {
        const { stream } = await wireSample(provider);
        if (stream.kind !== "text") return;
        const frames = stream.text.split(stream.separator);
        const contentType = provider === "ollama" ? "application/x-ndjson" : "text/event-stream";
        let next: Reply = { status: 200, headers: {}, body: "" };
        const client: LLMClient = clientFor(
          provider,
          ORIGIN,
          replyingTransport(() => next),
        );
        await fc.assert(
          fc.asyncProperty(
            fc.nat({ max: frames.length - 1 }),
            fc.constantFrom(...ERROR_SEEDS[provider]).chain(damagedJson),
            async (at, body) => {
              const head = frames.slice(0, at).join(stream.separator);
              const text = `${head}${at > 0 ? stream.separator : ""}${streamErrorFrame(provider, body)}`;
              next = { status: 200, headers: { "content-type": contentType }, body: text };
              try {
                for await (const event of client.stream({
                  messages: [{ role: "user", content: "hi" }],
                })) {
                  expect(streamEventProblem(event)).toBeUndefined();
                }
              } catch (error) {
                expectTypedFailure(error);
              }
            },
          ),
          fuzzParams(RUNS),
        );
      },
    );

    it("reads a valid answer whatever odd rate-limit / retry / request-id headers come with it", async () => {
      const { json } = await wireSample(provider);
      let next: Reply = { status: 200, headers: {}, body: json };
      const client: LLMClient = clientFor(
        provider,
        ORIGIN,
        replyingTransport(() => next),
      );
      await fc.assert(
        fc.asyncProperty(headersArb, async (headers) => {
          next = {
            status: 200,
            headers: { "content-type": "application/json", ...headers },
            body: json,
          };
          const answer = await client.generate({ messages: [{ role: "user", content: "hi" }] });
          expect(chatResponseProblem(answer)).toBeUndefined();
          for (const value of Object.values(answer.rateLimit ?? {}))
            for (const n of Object.values((value ?? {}) as Record<string, unknown>))
              if (typeof n === "number") expect(Number.isFinite(n), String(n)).toBe(true);
        }),
        fuzzParams(RUNS),
      );
    });

    it("fails typed on any error body its API might send, generate and stream, with odd headers", async () => {
      let next: Reply = { status: 500, headers: {}, body: "" };
      const client: LLMClient = clientFor(
        provider,
        ORIGIN,
        replyingTransport(() => next),
      );
      const seeds = ERROR_SEEDS[provider];
      await fc.assert(
        fc.asyncProperty(
          errorStatus,
          headersArb,
          fc.constantFrom(...seeds).chain(damagedJson),
          fc.boolean(),
          async (status, headers, body, streamed) => {
            next = { status, headers: { "content-type": "application/json", ...headers }, body };
            const request = { messages: [{ role: "user" as const, content: "hi" }] };
            const call = streamed
              ? (async () => {
                  for await (const _ of client.stream(request)) {
                    // Drained: an error status must throw before or while streaming.
                  }
                })()
              : client.generate(request);
            const error = await call.then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error, "an error status answered as a success").toBeDefined();
            expectTypedFailure(error);
          },
        ),
        fuzzParams(RUNS),
      );
    });
  });
});
