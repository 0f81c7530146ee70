import type { CallOptions, LLMClient } from "../client.js";
import { ParseError } from "../errors/errors.js";
import { httpErrorFromResponse } from "../provider-utils/http-error.js";
import { safeParseJSON } from "../provider-utils/safe-parse-json.js";
import { sendJSON, sendStream } from "../provider-utils/send.js";
import type { ChatRequest } from "../request.js";
import { type ChatResponse, emptyUsage, type Usage } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import { parseSSE } from "../streaming/sse-parser.js";
import { createFetchTransport } from "../transport/fetch-transport.js";
import type { Transport } from "../transport.js";

/**
 * A deliberately tiny, TEST-ONLY OpenAI chat client: core may not depend on
 * @llm/provider-openai, yet its resilience tests must cross a real socket to
 * a testkit server. It is built only from core's own provider utilities
 * (fetch transport, sendJSON/sendStream, parseSSE, httpErrorFromResponse),
 * which is what makes it a fair test of them.
 */
export interface OpenAITestClientOptions {
  baseURL: string;
  model?: string;
  apiKey?: string;
  transport?: Transport;
}

interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
}

interface WireChunk {
  id?: string;
  model?: string;
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: WireUsage | null;
  error?: { message?: string; type?: string };
}

interface WireCompletion {
  id: string;
  model: string;
  choices: Array<{ message: { content: string | null }; finish_reason: string }>;
  usage?: WireUsage;
}

const toUsage = (u: WireUsage | null | undefined): Usage =>
  u
    ? {
        inputTokens: u.prompt_tokens ?? 0,
        outputTokens: u.completion_tokens ?? 0,
        totalTokens: u.total_tokens ?? 0,
      }
    : emptyUsage();

export function openAITestClient(options: OpenAITestClientOptions): LLMClient {
  const transport = options.transport ?? createFetchTransport();
  const model = options.model ?? "gpt-4o-mini";
  const url = `${options.baseURL}/chat/completions`;
  const headers = { authorization: `Bearer ${options.apiKey ?? "sk-test-0000000000000000"}` };

  const body = (request: ChatRequest, stream: boolean) => ({
    model: request.model ?? model,
    messages: request.messages.map((m) => ({
      role: m.role,
      content:
        typeof m.content === "string"
          ? m.content
          : m.content.map((p) => ("text" in p ? p.text : "")).join(""),
    })),
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });

  const timeouts = (o: CallOptions | undefined) => ({
    ...(o?.signal ? { signal: o.signal } : {}),
    ...(o?.firstTokenTimeoutMs === undefined ? {} : { headersTimeoutMs: o.firstTokenTimeoutMs }),
    ...(o?.idleTimeoutMs === undefined ? {} : { bodyTimeoutMs: o.idleTimeoutMs }),
  });

  return {
    provider: "openai",
    model,
    async generate(request, callOptions): Promise<ChatResponse> {
      const result = await sendJSON(transport, {
        provider: "openai",
        url,
        headers,
        body: body(request, false),
        ...timeouts(callOptions),
      });
      const wire = result.value as WireCompletion;
      const text = wire.choices[0]?.message.content ?? "";
      return {
        id: wire.id,
        model: wire.model,
        provider: "openai",
        text,
        content: [{ type: "text", text }],
        toolCalls: [],
        finishReason: wire.choices[0]?.finish_reason === "stop" ? "stop" : "other",
        usage: toUsage(wire.usage),
        ...(result.headers["x-request-id"] ? { requestId: result.headers["x-request-id"] } : {}),
        origin: { type: "upstream" },
      };
    },
    async *stream(request, callOptions): AsyncGenerator<StreamEvent> {
      const result = await sendStream(transport, {
        provider: "openai",
        url,
        headers,
        body: body(request, true),
        ...timeouts(callOptions),
      });
      let started = false;
      let usage = emptyUsage();
      let finishReason: string | undefined;
      for await (const event of parseSSE(
        result.body,
        callOptions?.signal ? { signal: callOptions.signal } : {},
      )) {
        if (event.data === "[DONE]") break;
        const parsed = safeParseJSON(event.data, "OpenAI stream chunk");
        if (!parsed.ok)
          throw new ParseError("Malformed OpenAI stream chunk", { where: parsed.error.where });
        const chunk = parsed.value as WireChunk;
        if (chunk.error) {
          throw httpErrorFromResponse({
            provider: "openai",
            status: 500,
            headers: result.headers,
            bodyText: event.data,
          });
        }
        if (!started) {
          started = true;
          yield {
            type: "start",
            id: chunk.id ?? "",
            model: chunk.model ?? model,
            provider: "openai",
            origin: { type: "upstream" },
          };
        }
        const choice = chunk.choices?.[0];
        if (choice?.delta?.content) yield { type: "text-delta", delta: choice.delta.content };
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        if (chunk.usage) usage = toUsage(chunk.usage);
      }
      yield {
        type: "finish",
        finishReason: finishReason === "stop" ? "stop" : "other",
        ...(finishReason ? { rawFinishReason: finishReason } : {}),
        usage,
      };
    },
  };
}
