/**
 * SSE parsing cost per stream: @llm/core's `parseSSE` (one streaming
 * TextDecoder + indexOf line scanning) side by side with the common
 * `TextDecoderStream` + `pipeThrough(line splitter)` chain, on a 50-chunk
 * OpenAI chat-completion stream. Both produce the same `data` payloads.
 */
import { parseSSE, SSEParser } from "@llm/core";
import { fmt, nsPerOp } from "../lib/measure.ts";
import { rerunCommand, runIfMain } from "../lib/report.ts";
import type { BenchOptions, BenchResult } from "../lib/result.ts";

const CHUNKS = 50;

function openAIStream(): Uint8Array[] {
  const encoder = new TextEncoder();
  const head =
    '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1732500000,"model":"gpt-4o-mini","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":';
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < CHUNKS - 1; i++) {
    chunks.push(
      encoder.encode(
        `data: ${head}{"content":"word ${i} é "},"logprobs":null,"finish_reason":null}]}\n\n`,
      ),
    );
  }
  chunks.push(encoder.encode("data: [DONE]\n\n"));
  return chunks;
}

async function* iterate(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function ours(chunks: Uint8Array[]): Promise<number> {
  let n = 0;
  for await (const event of parseSSE(iterate(chunks))) n += event.data.length;
  return n;
}

/** The same bytes through the synchronous core (decoder + SSEParser), no async iteration. */
function oursSync(chunks: Uint8Array[]): number {
  const decoder = new TextDecoder();
  const parser = new SSEParser();
  let n = 0;
  for (const chunk of chunks) {
    for (const event of parser.feed(decoder.decode(chunk, { stream: true })))
      n += event.data.length;
  }
  for (const event of parser.end()) n += event.data.length;
  return n;
}

/** The usual web-streams chain: decode, split lines, pick `data:` lines, dispatch on blank lines. */
async function webStreams(chunks: Uint8Array[]): Promise<number> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  let buffer = "";
  const lines = source.pipeThrough(new TextDecoderStream()).pipeThrough(
    new TransformStream<string, string>({
      transform(text, controller) {
        buffer += text;
        const parts = buffer.split(/\r\n|\r|\n/);
        buffer = parts.pop() ?? "";
        for (const line of parts) controller.enqueue(line);
      },
      flush(controller) {
        if (buffer) controller.enqueue(buffer);
      },
    }),
  );
  let n = 0;
  let data: string[] = [];
  for await (const line of lines) {
    if (line === "") {
      if (data.length) n += data.join("\n").length;
      data = [];
    } else if (line.startsWith("data:")) {
      data.push(line.slice(line.charCodeAt(5) === 32 ? 6 : 5));
    }
  }
  return n;
}

export async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const chunks = openAIStream();
  const expected = await ours(chunks);
  if ((await webStreams(chunks)) !== expected) throw new Error("the two parsers disagree");
  if (oursSync(chunks) !== expected) throw new Error("the sync parser disagrees");
  const options = quick
    ? { warmup: 30, batch: 20, minMs: 50 }
    : { warmup: 300, batch: 200, minMs: 1500 };
  const oursUs = (await nsPerOp(() => ours(chunks), options)) / 1000;
  const theirsUs = (await nsPerOp(() => webStreams(chunks), options)) / 1000;
  const syncUs = (await nsPerOp(() => oursSync(chunks), options)) / 1000;
  return {
    id: "core/sse",
    title: "SSE parsing: @llm/core parseSSE vs a web-streams chain",
    command: rerunCommand("core/sse.ts"),
    measures: ["packages/core/src", "bench/lib/measure.ts"],
    intro: [
      `Node ${process.version}: µs to parse one ${CHUNKS}-chunk OpenAI chat-completion stream (median of batches, bench/lib/measure.ts). Both parsers produce the same \`data\` payloads (checked before timing). The baseline is the common \`TextDecoderStream\` + \`pipeThrough(line splitter)\` chain, written for this bench.`,
    ],
    tables: [
      {
        columns: ["parser (50-chunk OpenAI stream)", "µs / stream", "÷ parseSSE"],
        rows: [
          ["@llm/core parseSSE (one TextDecoder, indexOf)", fmt(oursUs, 1), "1.00"],
          [
            "TextDecoderStream + pipeThrough line splitter",
            fmt(theirsUs, 1),
            fmt(theirsUs / oursUs, 2),
          ],
          [
            "(parsing alone: TextDecoder + SSEParser.feed, sync)",
            fmt(syncUs, 1),
            fmt(syncUs / oursUs, 2),
          ],
        ],
        note: "The sync row is the floor of parseSSE: the same parser without async iteration; the gap between it and parseSSE is the cost of one async generator step per chunk.",
      },
    ],
    acceptance: [
      {
        check: "parse cost of a 50-chunk stream",
        target: "reported (no target in the issue)",
        measured: `${fmt(oursUs, 1)} µs (${fmt(oursUs / theirsUs, 2)}×)`,
        baseline: `TextDecoderStream + line splitter, ${fmt(theirsUs, 1)} µs`,
        met: null,
      },
      {
        check: "async iteration overhead of parseSSE",
        target: "reported",
        measured: `${fmt(oursUs / syncUs, 2)}×`,
        baseline: `sync TextDecoder + SSEParser.feed, ${fmt(syncUs, 1)} µs`,
        met: null,
      },
    ],
  };
}

await runIfMain(import.meta.url, run);
