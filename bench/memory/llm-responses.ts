/**
 * Deterministic, realistic cached LLM answers: a provider body is serialised and parsed back
 * (as a client receives it), then normalised to @llm/core's ChatResponse, whose `text` and
 * `content[0].text` are the same string, as in the real providers.
 */
import { createHash } from "node:crypto";
import type { ChatResponse } from "@llm/core";

const WORDS = (
  "the of and to in is that for it as with was on be by this are or from at an which but not " +
  "have has had were can will would should could may model cache request response token prompt " +
  "answer question data system user assistant function value result error value memory budget " +
  "latency throughput provider stream event message content text image tool call retry timeout " +
  "because however therefore example consider following important note first second finally " +
  "performance production deployment configuration service client server network storage " +
  "customer order product price shipping return account payment invoice support ticket issue"
).split(" ");

export function xorshift(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Text of 200–2000 characters of word salad with punctuation, like model prose. */
function prose(random: () => number): string {
  const target = 200 + Math.floor(random() * 1801);
  const words: string[] = [];
  let length = 0;
  let sentence = 0;
  while (length < target) {
    let word = WORDS[Math.floor(random() * WORDS.length)] as string;
    if (sentence === 0) word = word[0]?.toUpperCase() + word.slice(1);
    sentence++;
    if (sentence > 8 && random() < 0.15) {
      word += ".";
      sentence = 0;
    } else if (random() < 0.05) word += ",";
    words.push(word);
    length += word.length + 1;
  }
  return words.join(" ").slice(0, target);
}

export function requestKeyFor(i: number): string {
  return createHash("sha256").update(`request-${i}`).digest("hex");
}

export function llmResponse(i: number, random: () => number): ChatResponse {
  const text = prose(random);
  const inputTokens = 20 + Math.floor(random() * 2000);
  const outputTokens = Math.ceil(text.length / 4);
  const body = JSON.stringify({
    id: `chatcmpl-${createHash("md5").update(String(i)).digest("hex").slice(0, 24)}`,
    object: "chat.completion",
    model: "gpt-4o-mini-2024-07-18",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: {
      prompt_tokens: inputTokens,
      completion_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    },
  });
  const parsed = JSON.parse(body) as {
    id: string;
    model: string;
    choices: Array<{ message: { content: string }; finish_reason: string }>;
    usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
  };
  const content = parsed.choices[0]?.message.content ?? "";
  return {
    id: parsed.id,
    model: parsed.model,
    provider: "openai",
    text: content,
    content: [{ type: "text", text: content }],
    toolCalls: [],
    finishReason: "stop",
    rawFinishReason: parsed.choices[0]?.finish_reason ?? "stop",
    usage: {
      inputTokens: parsed.usage.prompt_tokens,
      outputTokens: parsed.usage.completion_tokens,
      totalTokens: parsed.usage.total_tokens,
    },
    requestId: `req_${createHash("md5").update(`r${i}`).digest("hex")}`,
    origin: { type: "upstream" },
  };
}
