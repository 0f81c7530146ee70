import { describe, expect, it } from "vitest";
import { LLMError, NetworkError } from "../errors/index.js";
import type { StreamEvent } from "../stream-event.js";
import { collect } from "../test-support/bytes.js";
import { textStream } from "../test-support/scripted-client.js";
import { attemptStream, catchStreamErrors, isContentEvent, toLLMError } from "./stream-content.js";

async function* failing(events: StreamEvent[], error: unknown): AsyncGenerator<StreamEvent> {
  yield* events;
  throw error;
}

describe("catchStreamErrors", () => {
  it("turns a thrown LLMError into a final error event", async () => {
    const error = new NetworkError("reset");
    const events = await collect(catchStreamErrors(failing(textStream("a").slice(0, 2), error)));
    expect(events.at(-1)).toEqual({ type: "error", error });
    expect(events).toHaveLength(3);
  });

  it("wraps an unknown error as LLMError with the original as cause", async () => {
    const events = await collect(catchStreamErrors(failing([], new TypeError("bad"))));
    const last = events[0] as Extract<StreamEvent, { type: "error" }>;
    expect(last.error).toBeInstanceOf(LLMError);
    expect(last.error.message).toBe("bad");
    expect(last.error.cause).toBeInstanceOf(TypeError);
  });

  it("passes a clean stream through", async () => {
    const clean = (async function* () {
      yield* textStream("a");
    })();
    expect(await collect(catchStreamErrors(clean))).toEqual(textStream("a"));
  });
});

describe("toLLMError", () => {
  it("keeps LLMErrors and wraps strings with the provider", () => {
    const known = new NetworkError("x");
    expect(toLLMError(known)).toBe(known);
    const wrapped = toLLMError("weird", "openai");
    expect(wrapped.message).toBe("weird");
    expect(wrapped.provider).toBe("openai");
    expect(toLLMError("").message).toBe("Unknown error");
  });
});

describe("attemptStream", () => {
  it("holds back leading non-content events while the attempt has no content", async () => {
    const state = { content: false };
    const [start, delta] = textStream("a") as [StreamEvent, StreamEvent];
    const seen: StreamEvent[] = [];
    const run = (async () => {
      for await (const e of attemptStream(failing([start, start], new NetworkError("x")), state))
        seen.push(e);
    })();
    await expect(run).rejects.toBeInstanceOf(NetworkError);
    expect(seen).toEqual([]);
    expect(state.content).toBe(false);
    const seenThen: StreamEvent[] = [];
    const then = (async () => {
      for await (const e of attemptStream(failing([start, delta], new NetworkError("y")), state))
        seenThen.push(e);
    })();
    await expect(then).rejects.toBeInstanceOf(NetworkError);
    expect(seenThen).toEqual([start, delta]);
    expect(state.content).toBe(true);
  });

  it("classifies content events", () => {
    expect(
      isContentEvent({
        type: "tool-call-delta",
        index: 0,
        toolCallId: "c",
        toolName: "t",
        argsDelta: "",
      }),
    ).toBe(true);
    expect(
      isContentEvent({ type: "usage", usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } }),
    ).toBe(false);
  });

  it("releases held events at the end of a stream without content", async () => {
    const state = { content: false };
    const start = textStream("a")[0] as StreamEvent;
    const only = (async function* () {
      yield start;
    })();
    expect(await collect(attemptStream(only, state))).toEqual([start]);
    expect(state.content).toBe(false);
  });
});
