import { isLLMError, type LLMClient } from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutsArb, splitAt, wireText } from "./support/chunks.js";
import { concatBytes } from "./support/event-stream.js";
import { fuzzParams } from "./support/fuzz.js";
import { mutatedJson, mutatedText } from "./support/mutate.js";
import { mutatedEventStream } from "./support/mutate-event-stream.js";
import { clientFor } from "./support/provider-clients.js";
import { RawServer } from "./support/raw-server.js";
import {
  SAMPLED_PROVIDERS,
  type StreamSample,
  type WireSample,
  wireSample,
} from "./support/wire-samples.js";

const RUNS = 120;
/** A parser that never settles is a failure too; real calls here take a few ms. */
const HANG_MS = 5_000;

const PROVIDERS = SAMPLED_PROVIDERS;

const status = fc.constantFrom(200, 200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 503, 529);

/** A JSON body: the real one damaged as JSON or as bytes, or something else entirely. */
function jsonBody(sample: WireSample): fc.Arbitrary<string> {
  const base = JSON.parse(sample.json) as unknown;
  return fc.oneof(
    mutatedJson(base).map((v) => JSON.stringify(v) ?? ""),
    mutatedText(sample.json),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    wireText,
  );
}

const encoder = new TextEncoder();

/** A text stream (SSE, NDJSON): the real frames, one of them damaged as JSON, then maybe the bytes too. */
function textStreamBody(text: string, separator: string): fc.Arbitrary<string> {
  const frames = text.split(separator);
  const damagedFrame = fc.nat({ max: frames.length - 1 }).chain((index) => {
    const frame = frames[index] ?? "";
    const start = frame.indexOf("{");
    if (start === -1) return fc.constant(frames);
    let payload: unknown;
    try {
      payload = JSON.parse(frame.slice(start));
    } catch {
      return fc.constant(frames);
    }
    return mutatedJson(payload).map((v) =>
      frames.map((f, i) => (i === index ? frame.slice(0, start) + JSON.stringify(v) : f)),
    );
  });
  return fc.oneof(
    damagedFrame.map((f) => f.join(separator)),
    damagedFrame.chain((f) => mutatedText(f.join(separator))),
    mutatedText(text),
    wireText,
  );
}

/** A damaged stream body in the provider's own framing, as bytes. */
function streamBody(stream: StreamSample): fc.Arbitrary<Uint8Array> {
  if (stream.kind === "binary") return mutatedEventStream(stream.messages);
  return textStreamBody(stream.text, stream.separator).map((text) => encoder.encode(text));
}

async function outcome(work: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${HANG_MS} ms: the parser hung`)),
      HANG_MS,
    );
  });
  try {
    await Promise.race([work, hang]);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    clearTimeout(timer);
  }
}

describe.each(PROVIDERS)("the %s provider fed damaged bodies", (provider) => {
  let server: RawServer;
  let pool: ConnectionPool;
  let client: LLMClient;
  let sample: WireSample;

  beforeAll(async () => {
    sample = await wireSample(provider);
    server = await RawServer.start();
    pool = new ConnectionPool({ connections: 2 });
    client = clientFor(provider, server.origin, pool);
  });

  afterAll(async () => {
    await pool?.destroy();
    await server?.close();
  });

  it("answers a generate call or throws an LLMError, never anything else and never hangs", async () => {
    const seen = { ok: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(status, jsonBody(sample), cutsArb, async (code, body, cuts) => {
        server.reply = {
          status: code,
          contentType: "application/json",
          chunks: splitAt(encoder.encode(body), cuts),
        };
        const error = await outcome(
          client.generate({ messages: [{ role: "user", content: "hi" }] }).then((r) => {
            expect(typeof r.text).toBe("string");
          }),
        );
        if (error !== undefined) expect(isLLMError(error), String(error)).toBe(true);
        seen[error === undefined ? "ok" : "failed"]++;
      }),
      fuzzParams(RUNS),
    );
    // The damage is varied enough to be both survivable and fatal.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
  });

  it("streams to a finish or throws an LLMError, never anything else and never hangs", async () => {
    const seen = { ok: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(status, streamBody(sample.stream), cutsArb, async (code, body, cuts) => {
        server.reply = {
          status: code,
          contentType: sample.streamType,
          chunks: splitAt(body, cuts),
        };
        const error = await outcome(
          (async () => {
            for await (const event of client.stream({
              messages: [{ role: "user", content: "hi" }],
            })) {
              expect(typeof event.type).toBe("string");
            }
          })(),
        );
        if (error !== undefined) expect(isLLMError(error), String(error)).toBe(true);
        seen[error === undefined ? "ok" : "failed"]++;
      }),
      fuzzParams(RUNS),
    );
    // The damage is varied enough to be both survivable and fatal.
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
  });

  it("reads the undamaged sample (the fuzzer's seed is a valid answer)", async () => {
    server.reply = {
      status: 200,
      contentType: "application/json",
      chunks: [encoder.encode(sample.json)],
    };
    const answer = await client.generate({ messages: [{ role: "user", content: "hi" }] });
    expect(answer.text.length).toBeGreaterThan(0);
  });

  it("streams the undamaged sample to a finish (the fuzzer's stream seed is valid too)", async () => {
    const body =
      sample.stream.kind === "binary"
        ? concatBytes(sample.stream.messages)
        : encoder.encode(sample.stream.text);
    server.reply = { status: 200, contentType: sample.streamType, chunks: [body] };
    const types: string[] = [];
    for await (const event of client.stream({ messages: [{ role: "user", content: "hi" }] }))
      types.push(event.type);
    expect(types[0]).toBe("start");
    expect(types).toContain("text-delta");
    expect(types.at(-1)).toBe("finish");
  });
});
