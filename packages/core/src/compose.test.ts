import { describe, expect, it } from "vitest";
import type { LLMClient } from "./client.js";
import { compose } from "./compose.js";
import type { Middleware } from "./middleware.js";
import type { ChatRequest } from "./request.js";
import { collect } from "./test-support/bytes.js";
import { scriptedClient, textStream } from "./test-support/scripted-client.js";

const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };

function tracer(name: string, log: string[]): Middleware {
  return {
    name,
    transformRequest(req) {
      log.push(`${name}:transform`);
      return { ...req, metadata: { ...req.metadata, path: `${req.metadata?.path ?? ""}${name}` } };
    },
    async wrapGenerate({ next }) {
      log.push(`${name}:before`);
      const response = await next();
      log.push(`${name}:after`);
      return response;
    },
    async *wrapStream({ next }) {
      log.push(`${name}:stream`);
      yield* next();
      log.push(`${name}:stream-end`);
    },
  };
}

describe("compose", () => {
  it("lets the first middleware see the request first and the response last", async () => {
    const log: string[] = [];
    const inner = scriptedClient([{ text: "ok" }]);
    await compose(inner, tracer("a", log), tracer("b", log)).generate(request);
    expect(log).toEqual([
      "a:transform",
      "a:before",
      "b:transform",
      "b:before",
      "b:after",
      "a:after",
    ]);
    expect(inner.calls[0]?.request.metadata).toEqual({ path: "ab" });
  });

  it("applies the same order to streams", async () => {
    const log: string[] = [];
    const inner = scriptedClient([{ text: "ok" }]);
    const events = await collect(
      compose(inner, tracer("a", log), tracer("b", log)).stream(request),
    );
    expect(events).toEqual(textStream("ok"));
    expect(log).toEqual([
      "a:transform",
      "a:stream",
      "b:transform",
      "b:stream",
      "b:stream-end",
      "a:stream-end",
    ]);
    expect(inner.calls[0]?.request.metadata).toEqual({ path: "ab" });
  });

  it("lets a middleware change the request and options it passes on", async () => {
    const inner = scriptedClient([{ text: "ok" }]);
    const override: Middleware = {
      wrapGenerate: ({ request: req, next }) =>
        next({ ...req, temperature: 0 }, { metadata: { by: "override" } }),
      wrapStream: ({ request: req, next }) => next({ ...req, temperature: 1 }),
    };
    await compose(inner, override).generate(request);
    await collect(compose(inner, override).stream(request));
    expect(inner.calls.map((c) => c.request.temperature)).toEqual([0, 1]);
    expect(inner.calls[0]?.options).toEqual({ metadata: { by: "override" } });
  });

  it("keeps the client's provider and model and skips empty middlewares", () => {
    const inner: LLMClient = scriptedClient([{ text: "ok" }], "openai", "gpt");
    expect(compose(inner, {})).toBe(inner);
    const wrapped = compose(inner, { transformRequest: (r) => r });
    expect(wrapped.provider).toBe("openai");
    expect(wrapped.model).toBe("gpt");
    expect(
      compose(scriptedClient([{ text: "ok" }]), { transformRequest: (r) => r }).model,
    ).toBeUndefined();
  });
});
