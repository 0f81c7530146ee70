import { isRecord } from "@llm/core";
import {
  asString,
  contentText,
  InvalidRequestError,
  identityOf,
  type NormalizedRequest,
} from "../normalized-request.js";
import { type Prng, randomId } from "../prng.js";
import {
  type ProviderAdapter,
  type ResolvedCompletion,
  retryAfterHeaders,
} from "../provider-adapter.js";
import { chunkText } from "../text-chunks.js";
import type { MockErrorReply } from "../types.js";
import { chatAndModelsRoutes, summarizeMessages } from "./adapter-scaffolding.js";
import { readFunctionTools } from "./chat-completions-request.js";

const NDJSON_TYPE = "application/x-ndjson";
const JSON_TYPE = "application/json; charset=utf-8";
// Plausible local-inference timings, in nanoseconds as Ollama reports them.
const LOAD_NS = 12_000_000;
const PROMPT_NS_PER_TOKEN = 400_000;
const EVAL_NS_PER_TOKEN = 15_000_000;

const ERRORS: Record<number, string> = {
  400: "invalid request",
  401: "unauthorized",
  404: "model not found, try pulling it first",
  429: "too many requests",
  500: "an error was encountered while running the model",
  503: "server busy, please try again.  maximum pending requests exceeded",
};

export const ollamaAdapter: ProviderAdapter = {
  name: "ollama",
  basePath: "",

  // Ollama streams unless told `stream: false`.
  shape: chatAndModelsRoutes("/api/chat", "/api/tags", true),

  // Local Ollama has no auth; with `apiKey` set the mock behaves like a protected proxy.
  checkAuth(request, apiKey) {
    if (apiKey === undefined) return undefined;
    return request.headers.authorization === `Bearer ${apiKey}` ? undefined : { status: 401 };
  },
  authError: () => ({ status: 401 }),
  overloadedStatus: 503,

  normalize(request): NormalizedRequest {
    const body = request.body;
    if (!isRecord(body)) throw new InvalidRequestError("invalid character in request body");
    const model = asString(body.model);
    if (model === undefined || model === "") throw new InvalidRequestError("model is required");
    const format = body.format;
    return {
      model,
      stream: body.stream !== false,
      ...summarizeMessages(Array.isArray(body.messages) ? body.messages : [], contentText),
      tools: readFunctionTools(body.tools),
      toolChoice: { type: "auto" },
      json:
        format === "json"
          ? { schema: undefined }
          : isRecord(format)
            ? { schema: format }
            : undefined,
      reasoning: body.think === true || typeof body.think === "string",
      sse: false,
      includeUsage: true,
      identity: identityOf(body, ["stream"]),
    };
  },

  finishReason: () => "stop",
  messageId: (prng: Prng) => randomId(prng, 12),
  toolCallId: (prng: Prng) => `call_${randomId(prng, 8)}`,
  requestId: (prng: Prng) => randomId(prng, 12),

  successHeaders(stream) {
    return { "content-type": stream ? NDJSON_TYPE : JSON_TYPE };
  },

  renderJSON(c: ResolvedCompletion) {
    const message: Record<string, unknown> = { role: "assistant", content: c.text };
    if (c.reasoning !== "") message.thinking = c.reasoning;
    if (c.toolCalls.length > 0) message.tool_calls = toolCallsOf(c);
    return { model: c.model, created_at: new Date().toISOString(), message, ...doneFields(c) };
  },

  renderFrames(c, _request, chunkSize) {
    const createdAt = new Date().toISOString();
    const head = `{"model":${JSON.stringify(c.model)},"created_at":"${createdAt}","message":`;
    const frames: string[] = [];
    for (const piece of chunkText(c.reasoning, chunkSize)) {
      frames.push(
        `${head}{"role":"assistant","content":"","thinking":${JSON.stringify(piece)}},"done":false}\n`,
      );
    }
    for (const piece of chunkText(c.text, chunkSize)) {
      frames.push(`${head}{"role":"assistant","content":${JSON.stringify(piece)}},"done":false}\n`);
    }
    if (c.toolCalls.length > 0) {
      frames.push(
        `${head}{"role":"assistant","content":"","tool_calls":${JSON.stringify(toolCallsOf(c))}},"done":false}\n`,
      );
    }
    const done = JSON.stringify(doneFields(c));
    frames.push(`${head}{"role":"assistant","content":""},${done.slice(1)}\n`);
    return frames;
  },

  frameFixture(lines) {
    return lines.map((line) => `${line}\n`);
  },

  errorBody(status, reply: MockErrorReply, _requestId, message) {
    if (reply.body !== undefined) return reply.body;
    return { error: message ?? ERRORS[status] ?? `HTTP ${status}` };
  },

  errorHeaders(_status, _requestId, reply) {
    return { "content-type": JSON_TYPE, ...retryAfterHeaders(reply) };
  },

  midStreamErrorFrame() {
    return '{"error":"an error was encountered while running the model: unexpected EOF"}\n';
  },

  malformedFrame: () =>
    '{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"cut\n',

  modelsBody() {
    const models = [
      ["llama3.2:latest", "llama", "3.2B"],
      ["qwen3:8b", "qwen3", "8.2B"],
    ].map(([name, family, size]) => ({
      name,
      model: name,
      modified_at: "2025-06-01T10:00:00.000000000Z",
      size: 2019393189,
      digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
      details: {
        parent_model: "",
        format: "gguf",
        family,
        families: [family],
        parameter_size: size,
        quantization_level: "Q4_K_M",
      },
    }));
    return { models };
  },

  // Ollama's Go router answers unknown paths with a plain-text 404.
  notFound() {
    return { status: 404, body: "404 page not found" };
  },
};

function toolCallsOf(c: ResolvedCompletion) {
  return c.toolCalls.map((call) => ({ function: { name: call.name, arguments: call.arguments } }));
}

function doneFields(c: ResolvedCompletion) {
  const promptNs = c.usage.input * PROMPT_NS_PER_TOKEN;
  const evalNs = c.usage.output * EVAL_NS_PER_TOKEN;
  return {
    done_reason: c.finishReason,
    done: true,
    total_duration: LOAD_NS + promptNs + evalNs,
    load_duration: LOAD_NS,
    prompt_eval_count: c.usage.input,
    prompt_eval_duration: promptNs,
    eval_count: c.usage.output,
    eval_duration: evalNs,
  };
}
