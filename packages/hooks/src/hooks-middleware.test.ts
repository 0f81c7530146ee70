import {
  type ChatRequest,
  type ChatResponse,
  compose,
  type LLMClient,
  LLMError,
  RateLimitError,
  type StreamEvent,
} from "@llm/core";
import { describe, expect, it } from "vitest";
import type { ErrorPayload } from "./hook-map.js";
import { Hooks } from "./hooks.js";
import { hooksMiddleware } from "./hooks-middleware.js";

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5 };

/** A deterministic in-memory client: echoes the last user message. */
function echoClient(fail?: unknown): LLMClient & { seen: ChatRequest[] } {
  const seen: ChatRequest[] = [];
  const answer = (request: ChatRequest) => {
    const last = request.messages.at(-1);
    return typeof last?.content === "string" ? last.content.toUpperCase() : "";
  };
  return {
    provider: "echo",
    seen,
    async generate(request) {
      seen.push(request);
      if (fail) throw fail;
      const text = answer(request);
      return {
        id: "r1",
        model: request.model ?? "echo-1",
        provider: "echo",
        text,
        content: [{ type: "text", text }],
        toolCalls: [],
        finishReason: "stop",
        usage,
        origin: { type: "upstream" },
      } satisfies ChatResponse;
    },
    async *stream(request) {
      seen.push(request);
      yield {
        type: "start",
        id: "r1",
        model: "echo-1",
        provider: "echo",
        origin: { type: "upstream" },
      };
      for (const ch of answer(request)) yield { type: "text-delta", delta: ch };
      if (fail) throw fail;
      yield { type: "finish", finishReason: "stop", usage };
    },
  };
}

const request: ChatRequest = { messages: [{ role: "user", content: "hello" }] };

async function drain(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe("hooksMiddleware", () => {
  it("calls straight through when no hook is registered", async () => {
    const inner = echoClient();
    const client = compose(inner, hooksMiddleware(new Hooks()));
    expect((await client.generate(request)).text).toBe("HELLO");
    expect(await drain(client.stream(request))).toHaveLength(7);
  });

  it("lets beforeRequest rewrite the request the provider receives", async () => {
    const hooks = new Hooks();
    hooks.hook("beforeRequest", ({ request: r }) => ({
      ...r,
      model: "rewritten",
      messages: [{ role: "user", content: "bye" }],
    }));
    const inner = echoClient();
    const response = await compose(inner, hooksMiddleware(hooks)).generate(request);
    expect(inner.seen[0]!.model).toBe("rewritten");
    expect(response.text).toBe("BYE");
  });

  it("reports the response, its duration and the client name to afterResponse", async () => {
    const hooks = new Hooks();
    const seen: Array<{ text: string; client?: string; mode: string; duration: number }> = [];
    hooks.hook("afterResponse", ({ response, call, durationMs }) => {
      seen.push({
        text: response.text,
        client: call.client,
        mode: call.mode,
        duration: durationMs,
      });
    });
    const client = compose(echoClient(), hooksMiddleware(hooks, { clientName: "summarizer" }));
    await client.generate(request);
    await drain(client.stream(request));
    expect(seen.map(({ text, client: c, mode }) => ({ text, c, mode }))).toEqual([
      { text: "HELLO", c: "summarizer", mode: "generate" },
      { text: "HELLO", c: "summarizer", mode: "stream" },
    ]);
    expect(seen.every((s) => s.duration >= 0)).toBe(true);
  });

  it("shares one call object between the hooks of one call", async () => {
    const hooks = new Hooks();
    hooks.hook("beforeRequest", ({ call }) => {
      call.state.set("span", "open");
    });
    let state: unknown;
    hooks.hook("afterResponse", ({ call }) => {
      state = call.state.get("span");
    });
    await compose(echoClient(), hooksMiddleware(hooks)).generate(request);
    expect(state).toBe("open");
  });

  it("passes every stream event to onStreamEvent in order", async () => {
    const hooks = new Hooks();
    const types: string[] = [];
    hooks.hook("onStreamEvent", async ({ event }) => {
      types.push(event.type);
    });
    const events = await drain(
      compose(echoClient(), hooksMiddleware(hooks)).stream({
        messages: [{ role: "user", content: "ab" }],
      }),
    );
    expect(types).toEqual(["start", "text-delta", "text-delta", "finish"]);
    expect(events.map((e) => e.type)).toEqual(types);
  });

  it("reports a failed generate to onError and rethrows the original error", async () => {
    const hooks = new Hooks();
    const errors: ErrorPayload[] = [];
    hooks.hook("onError", (p) => void errors.push(p));
    const failure = new RateLimitError("slow down", { retryAfterMs: 10 });
    await expect(
      compose(echoClient(failure), hooksMiddleware(hooks)).generate(request),
    ).rejects.toBe(failure);
    expect(errors[0]!.error).toBe(failure);
  });

  it("wraps a non-LLM error for onError and reports a failed stream", async () => {
    const hooks = new Hooks();
    const errors: ErrorPayload[] = [];
    hooks.hook("onError", (p) => void errors.push(p));
    const failure = new TypeError("bad");
    const client = compose(echoClient(failure), hooksMiddleware(hooks));
    await expect(client.generate(request)).rejects.toBe(failure);
    await expect(drain(client.stream(request))).rejects.toBe(failure);
    expect(errors).toHaveLength(2);
    expect(errors[0]!.error).toBeInstanceOf(LLMError);
    expect(errors[0]!.error.message).toBe("bad");
    expect(errors[1]!.call.mode).toBe("stream");
  });

  it("does not report afterResponse for a stream that ended without finish", async () => {
    const hooks = new Hooks();
    let after = 0;
    hooks.hook("afterResponse", () => {
      after++;
    });
    const inner: LLMClient = {
      provider: "cut",
      generate: async () => {
        throw new Error("unused");
      },
      async *stream() {
        yield { type: "text-delta", delta: "x" };
      },
    };
    const events = await drain(compose(inner, hooksMiddleware(hooks)).stream(request));
    expect(events).toHaveLength(1);
    expect(after).toBe(0);
  });
});
