import { isRecord } from "@llm/core";
import { sampleFromSchema } from "./json-schema-sample.js";
import type { NormalizedRequest, NormalizedTool } from "./normalized-request.js";
import { hashString, Prng } from "./prng.js";
import type { MockCompletionReply } from "./types.js";

const VOCABULARY = (
  "the a model answer request quickly cache token stream server latency value result " +
  "system response data graph node memory budget provider retry window signal buffer " +
  "context prompt output input metric queue batch worker policy budget shard region " +
  "steady careful simple clear small large fast stable useful exact plain recorded"
).split(" ");

/**
 * The deterministic default reply: the same request content (and seed) always gives the
 * same text or tool call. Tool calls happen when the tool choice forces one, or when the
 * last user message names one of the tools; a tool result as the last message gets text.
 */
export function defaultReply(request: NormalizedRequest, seed: number): MockCompletionReply {
  const prng = new Prng(hashString(request.identity, seed));
  const tool = chooseTool(request);
  const reasoning = request.reasoning ? sentence(prng, 8, 16) : undefined;
  if (tool !== undefined) {
    return {
      toolCalls: [
        { name: tool.name, arguments: asObject(sampleFromSchema(tool.parameters, prng)) },
      ],
      ...(reasoning !== undefined ? { reasoning } : {}),
    };
  }
  const text =
    request.json !== undefined
      ? JSON.stringify(
          request.json.schema !== undefined
            ? sampleFromSchema(request.json.schema, prng)
            : { answer: sentence(prng, 3, 6), ok: true },
        )
      : sentence(prng, 8, 32);
  return { text, ...(reasoning !== undefined ? { reasoning } : {}) };
}

function chooseTool(request: NormalizedRequest): NormalizedTool | undefined {
  const { tools, toolChoice } = request;
  if (tools.length === 0 || toolChoice.type === "none") return undefined;
  if (toolChoice.type === "tool") return tools.find((t) => t.name === toolChoice.name) ?? tools[0];
  if (request.lastRole === "tool") return undefined;
  if (toolChoice.type === "required") return tools[0];
  if (request.lastRole !== "user") return undefined;
  const asked = request.lastUserText.toLowerCase();
  return tools.find((t) => asked.includes(t.name.toLowerCase()));
}

function asObject(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : { value };
}

function sentence(prng: Prng, minWords: number, maxWords: number): string {
  const count = prng.int(minWords, maxWords);
  const words: string[] = [];
  for (let i = 0; i < count; i++) words.push(prng.pick(VOCABULARY));
  const first = words[0] as string;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(" ")}.`;
}
