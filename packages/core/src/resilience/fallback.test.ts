import { describe, expect, it } from "vitest";
import { compose } from "../compose.js";
import {
  AbortError,
  AuthenticationError,
  CircuitOpenError,
  ContextLengthError,
  NetworkError,
  RateLimitError,
} from "../errors/index.js";
import type { ChatRequest } from "../request.js";
import type { StreamEvent } from "../stream-event.js";
import { collect } from "../test-support/bytes.js";
import { scriptedClient, textStream } from "../test-support/scripted-client.js";
import {
  defaultFallbackOn,
  type FallbackInfo,
  fallbackClient,
  fallbackMiddleware,
} from "./fallback.js";

const request: ChatRequest = {
  model: "primary-model",
  messages: [{ role: "user", content: "hi" }],
};

describe("fallbackClient", () => {
  it("answers with the next client when the first fails with a retryable error", async () => {
    const first = scriptedClient([{ error: new RateLimitError("busy") }], "openai", "gpt");
    const second = scriptedClient([{ text: "from second" }], "anthropic", "claude");
    const infos: FallbackInfo[] = [];
    const client = fallbackClient([first, second], { onFallback: (info) => infos.push(info) });
    const response = await client.generate(request);
    expect(response.text).toBe("from second");
    expect(second.calls[0]?.request.model).toBe("claude");
    expect(infos.map((i) => [i.from, i.to, i.client.provider])).toEqual([[0, 1, "anthropic"]]);
    expect(client.provider).toBe("openai");
    expect(client.model).toBe("gpt");
  });

  it("keeps request.model for a fallback when keepModel is set or the client has no model", async () => {
    const first = scriptedClient([{ error: new NetworkError("x") }]);
    const second = scriptedClient([{ text: "ok" }], "other", "its-model");
    await fallbackClient([first, second], { keepModel: true }).generate(request);
    expect(second.calls[0]?.request.model).toBe("primary-model");
    const third = scriptedClient([{ text: "ok" }]);
    await fallbackClient([first, third]).generate(request);
    expect(third.calls[0]?.request.model).toBe("primary-model");
  });

  it("does not fall back on an error the next client would also get", async () => {
    const first = scriptedClient([{ error: new ContextLengthError("too long") }]);
    const second = scriptedClient([{ text: "never" }]);
    await expect(fallbackClient([first, second]).generate(request)).rejects.toBeInstanceOf(
      ContextLengthError,
    );
    expect(second.calls).toHaveLength(0);
  });

  it("throws the last error when every client fails", async () => {
    const last = new NetworkError("last");
    const client = fallbackClient([
      scriptedClient([{ error: new NetworkError("first") }]),
      scriptedClient([{ error: last }]),
    ]);
    await expect(client.generate(request)).rejects.toBe(last);
  });

  it("does not fall back once the caller aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const second = scriptedClient([{ text: "never" }]);
    const client = fallbackClient([scriptedClient([{ error: new NetworkError("x") }]), second]);
    await expect(client.generate(request, { signal: controller.signal })).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(second.calls).toHaveLength(0);
  });

  it("falls back for a stream that failed before content, showing one clean stream", async () => {
    const start = textStream("x")[0] as StreamEvent;
    const first = scriptedClient([{ events: [start], error: new NetworkError("reset") }]);
    const second = scriptedClient([{ text: "second" }], "b");
    expect(await collect(fallbackClient([first, second]).stream(request))).toEqual(
      textStream("second", "b"),
    );
  });

  it("does not fall back for a stream that already yielded content", async () => {
    const [start, delta] = textStream("partial") as [StreamEvent, StreamEvent];
    const first = scriptedClient([{ events: [start, delta], error: new NetworkError("reset") }]);
    const second = scriptedClient([{ text: "never" }]);
    await expect(collect(fallbackClient([first, second]).stream(request))).rejects.toBeInstanceOf(
      NetworkError,
    );
    expect(second.calls).toHaveLength(0);
  });

  it("needs at least one client", () => {
    expect(() => fallbackClient([])).toThrow(RangeError);
  });
});

describe("defaultFallbackOn", () => {
  it("accepts retryable errors, an open circuit and a rejected key, never an abort", () => {
    expect(defaultFallbackOn(new NetworkError("x"))).toBe(true);
    expect(defaultFallbackOn(new CircuitOpenError("p", 10))).toBe(true);
    expect(defaultFallbackOn(new AuthenticationError("bad key"))).toBe(true);
    expect(defaultFallbackOn(new AbortError())).toBe(false);
    expect(defaultFallbackOn(new ContextLengthError("long"))).toBe(false);
    expect(defaultFallbackOn(new Error("plain"))).toBe(false);
  });
});

describe("fallbackMiddleware", () => {
  it("tries the wrapped chain first, then the fallbacks in order", async () => {
    const primary = scriptedClient([{ error: new NetworkError("down") }]);
    const backup1 = scriptedClient([{ error: new NetworkError("down too") }]);
    const backup2 = scriptedClient([{ text: "backup2" }]);
    const infos: number[] = [];
    const client = compose(
      primary,
      fallbackMiddleware(backup1, backup2, { onFallback: (i: FallbackInfo) => infos.push(i.to) }),
    );
    expect((await client.generate(request)).text).toBe("backup2");
    expect(infos).toEqual([1, 2]);
    expect(await collect(client.stream(request))).toEqual(textStream("backup2"));
  });
});
