import { describe, expect, it } from "vitest";
import { StreamAccumulator } from "../collect-stream.js";
import { compose } from "../compose.js";
import { AbortError, InvalidRequestError, NetworkError, ProviderError } from "../errors/index.js";
import type { ChatRequest } from "../request.js";
import { emptyUsage } from "../response.js";
import type { StreamEvent } from "../stream-event.js";
import { type Step, scriptedClient } from "../test-support/scripted-client.js";
import { type RetryInfo, type RetryOptions, retryMiddleware } from "./retry.js";

const request: ChatRequest = { messages: [{ role: "user", content: "hi" }], temperature: 0 };
const net = (message = "socket hang up") => new NetworkError(message);

const start = (id: string): StreamEvent => ({
  type: "start",
  id,
  model: "fake-model",
  provider: "fake",
  origin: { type: "upstream" },
});
const text = (delta: string): StreamEvent => ({ type: "text-delta", delta });
const think = (delta: string, signature?: string): StreamEvent => ({
  type: "reasoning-delta",
  delta,
  ...(signature === undefined ? {} : { signature }),
});
const usage: StreamEvent = { type: "usage", usage: { ...emptyUsage(), outputTokens: 7 } };
const finish: StreamEvent = { type: "finish", finishReason: "stop", usage: emptyUsage() };
const toolDelta: StreamEvent = {
  type: "tool-call-delta",
  index: 0,
  toolCallId: "call_1",
  toolName: "lookup",
  argsDelta: '{"q":',
};

/** Retry with recorded (not slept) waits; streams are read event by event until they throw. */
function harness(steps: Step[], overrides: RetryOptions = {}, req: ChatRequest = request) {
  const retries: RetryInfo[] = [];
  const inner = scriptedClient(steps);
  const client = compose(
    inner,
    retryMiddleware({
      maxAttempts: 4,
      baseDelayMs: 10,
      random: () => 0.5,
      sleep: async () => {},
      onRetry: (info) => retries.push(info),
      ...overrides,
    }),
  );
  const seen: StreamEvent[] = [];
  const run = async () => {
    for await (const event of client.stream(req)) seen.push(event);
  };
  return { inner, retries, seen, run };
}

const textOf = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");

describe("retryMiddleware: resuming a stream cut after content", () => {
  it("shows only the part beyond what the caller has, as one seamless stream", async () => {
    const cut = { events: [start("a"), text("Hello "), text("wor")], error: net() };
    const replay = { events: [start("b"), text("Hello world"), text("!"), usage, finish] };
    const { seen, run, retries, inner } = harness([cut, replay]);
    await run();
    expect(seen).toEqual([
      start("a"),
      text("Hello "),
      text("wor"),
      text("ld"),
      text("!"),
      usage,
      finish,
    ]);
    expect(inner.calls).toHaveLength(2);
    expect(retries.map((r) => [r.attempt, r.error instanceof NetworkError, r.resume])).toEqual([
      [1, true, true],
    ]);
  });

  it("matches a replay that splits the same text into different deltas", async () => {
    const cut = { events: [start("a"), text("Hello"), text(" world")], error: net() };
    const replay = { events: [start("b"), text("He"), text("llo wo"), text("rld, again"), finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(textOf(seen)).toBe("Hello world, again");
    expect(seen.filter((e) => e.type === "start")).toEqual([start("a")]);
  });

  it("passes a replay straight through once it has covered what was shown", async () => {
    const cut = { events: [start("a"), text("ab")], error: net() };
    const replay = { events: [start("b"), text("ab"), text("cd"), usage, finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(seen).toEqual([start("a"), text("ab"), text("cd"), usage, finish]);
  });

  it("holds the replay's usage until it catches up, then shows it in order", async () => {
    const cut = { events: [start("a"), text("abc")], error: net() };
    const replay = { events: [start("b"), usage, text("abcd"), finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(seen).toEqual([start("a"), text("abc"), usage, text("d"), finish]);
  });

  it("resumes reasoning and text in the order the caller saw them", async () => {
    const cut = {
      events: [start("a"), think("Let me "), think("see"), text("It is")],
      error: net(),
    };
    const replay = {
      events: [start("b"), think("Let me see"), text("It"), text(" is 4."), finish],
    };
    const { seen, run } = harness([cut, replay]);
    await run();
    const answer = new StreamAccumulator();
    for (const event of seen) answer.add(event);
    expect(answer.toResponse()).toMatchObject({
      text: "It is 4.",
      content: [
        { type: "reasoning", text: "Let me see" },
        { type: "text", text: "It is 4." },
      ],
    });
    expect(seen.slice(4)).toEqual([text(" 4."), finish]);
  });

  it("shows a reasoning signature the caller had not received yet", async () => {
    const cut = { events: [start("a"), think("abc")], error: net() };
    const replay = { events: [start("b"), think("abc", "sig-1"), text("x"), finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(seen.slice(2)).toEqual([think("", "sig-1"), text("x"), finish]);
  });

  it("does not repeat a signature the caller already received", async () => {
    const cut = { events: [start("a"), think("abc", "sig-1"), text("x")], error: net() };
    const replay = { events: [start("b"), think("ab"), think("c", "sig-1"), text("xy"), finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(seen.slice(3)).toEqual([text("y"), finish]);
  });

  it("keeps the signature on a replayed delta that straddles what was shown", async () => {
    const cut = { events: [start("a"), think("ab")], error: net() };
    const replay = { events: [start("b"), think("abc", "sig-1"), finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(seen.slice(2)).toEqual([think("c", "sig-1"), finish]);
  });

  it("resumes after a stream that showed only an empty delta", async () => {
    const cut = { events: [start("a"), text("")], error: net() };
    const replay = { events: [start("b"), usage, text("all"), finish] };
    const { seen, run } = harness([cut, replay]);
    await run();
    expect(seen).toEqual([start("a"), text(""), usage, text("all"), finish]);
  });

  it("finishes a resumed stream whose caller had only an empty delta and whose replay is empty", async () => {
    const cut = { events: [start("a"), text("")], error: net() };
    const { seen, run } = harness([cut, { events: [start("b"), finish] }]);
    await run();
    expect(seen).toEqual([start("a"), text(""), finish]);
  });

  it("resumes again from the longer prefix when the resumed stream breaks too", async () => {
    const first = { events: [start("a"), text("one ")], error: net("first cut") };
    const second = { events: [start("b"), text("one two "), text("thr")], error: net("second") };
    const third = { events: [start("c"), text("one two three"), finish] };
    const { seen, run, retries } = harness([first, second, third]);
    await run();
    expect(textOf(seen)).toBe("one two three");
    expect(seen.map((e) => e.type)).toEqual([
      "start",
      "text-delta",
      "text-delta",
      "text-delta",
      "text-delta",
      "finish",
    ]);
    expect(retries).toHaveLength(2);
  });

  it("retries a resume attempt that fails before catching up, then resumes", async () => {
    const cut = { events: [start("a"), text("abc")], error: net() };
    const early = {
      events: [start("b"), text("a")],
      error: new ProviderError("busy", { status: 503 }),
    };
    const replay = { events: [start("c"), text("abcdef"), finish] };
    const { seen, run, retries } = harness([cut, early, replay]);
    await run();
    expect(seen).toEqual([start("a"), text("abc"), text("def"), finish]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
  });

  it("retries a temperature-0 stream that failed before content as usual", async () => {
    const { seen, run, retries } = harness([
      { events: [start("a")], error: net() },
      { events: [start("b"), text("ok"), finish] },
    ]);
    await run();
    expect(seen).toEqual([start("b"), text("ok"), finish]);
    expect(retries[0]?.resume).toBeUndefined();
  });

  it("passes a clean temperature-0 stream through as the same events", async () => {
    const events = [start("a"), think("r"), text("t"), usage, finish];
    const { seen, run } = harness([{ events }]);
    await run();
    expect(seen).toEqual(events);
    expect(seen[2]).toBe(events[2]);
  });
});

describe("retryMiddleware: a resume that cannot reconcile throws the error that cut the stream", () => {
  const shownBeforeCut = [start("a"), text("Hello wor")];
  const cutError = net("cut mid-stream");
  const cut = { events: shownBeforeCut, error: cutError };

  async function expectCut(steps: Step[], overrides: RetryOptions = {}) {
    const h = harness([cut, ...steps], overrides);
    await expect(h.run()).rejects.toBe(cutError);
    expect(h.seen).toEqual(shownBeforeCut);
    return h;
  }

  it("when the replay's text differs", async () => {
    const { inner } = await expectCut([{ events: [start("b"), text("Hello there"), finish] }]);
    expect(inner.calls).toHaveLength(2);
  });

  it("when the replay begins with another channel", async () => {
    await expectCut([{ events: [start("b"), think("Hello wor"), finish] }]);
  });

  it("when the replay continues a channel the caller saw end", async () => {
    const h = harness([
      { events: [start("a"), think("r"), text("t")], error: cutError },
      { events: [start("b"), think("rr"), text("t"), finish] },
    ]);
    await expect(h.run()).rejects.toBe(cutError);
  });

  it("when the replay finishes before covering what was shown", async () => {
    await expectCut([{ events: [start("b"), text("Hello"), usage, finish] }]);
  });

  it("when the replay ends without a finish before covering what was shown", async () => {
    await expectCut([{ events: [start("b"), text("Hello")] }]);
  });

  it("when the replay starts with a tool call", async () => {
    await expectCut([{ events: [start("b"), toolDelta, text("Hello world"), finish] }]);
  });

  it("when the replay signs reasoning in a place the caller saw unsigned", async () => {
    const h = harness([
      { events: [start("a"), think("abc"), text("x")], error: cutError },
      { events: [start("b"), think("abc", "sig"), text("xy"), finish] },
    ]);
    await expect(h.run()).rejects.toBe(cutError);
  });

  it("when the attempts run out, whatever the later attempts failed with", async () => {
    const { inner } = await expectCut([{ error: new ProviderError("down", { status: 500 }) }], {
      maxAttempts: 3,
    });
    expect(inner.calls).toHaveLength(3);
  });

  it("when a resume attempt fails with an error that is not retried", async () => {
    const { inner } = await expectCut([{ error: new InvalidRequestError("key rotated") }]);
    expect(inner.calls).toHaveLength(2);
  });
});

describe("retryMiddleware: streams that are not resumed", () => {
  const cutError = net();
  const cut = { events: [start("a"), text("Hello")], error: cutError };
  const replay = { events: [start("b"), text("Hello world"), finish] };

  it("a request without temperature 0 fails as before", async () => {
    for (const temperature of [0.7, undefined]) {
      const h = harness([cut, replay], {}, { ...request, temperature });
      await expect(h.run()).rejects.toBe(cutError);
      expect(h.inner.calls).toHaveLength(1);
    }
  });

  it('any temperature with resumeStreams: "always"', async () => {
    const h = harness([cut, replay], { resumeStreams: "always" }, { ...request, temperature: 0.7 });
    await h.run();
    expect(textOf(h.seen)).toBe("Hello world");
  });

  it("nothing with resumeStreams: false", async () => {
    const h = harness([cut, replay], { resumeStreams: false });
    await expect(h.run()).rejects.toBe(cutError);
    expect(h.inner.calls).toHaveLength(1);
  });

  it("a stream that showed a tool call", async () => {
    const h = harness([
      { events: [start("a"), text("Let me look"), toolDelta], error: cutError },
      replay,
    ]);
    await expect(h.run()).rejects.toBe(cutError);
    expect(h.inner.calls).toHaveLength(1);
  });

  it("a stream whose resume showed a tool call, then broke", async () => {
    const second = {
      events: [start("b"), text("Hello, let me look"), toolDelta],
      error: net("second cut"),
    };
    const h = harness([cut, second, replay]);
    await expect(h.run()).rejects.toMatchObject({ message: "second cut" });
    expect(textOf(h.seen)).toBe("Hello, let me look");
  });
});

describe("retryMiddleware: resume with retryStreamsAfterContent", () => {
  it("shows a diverging replay as a visible restart", async () => {
    const { seen, run } = harness(
      [
        { events: [start("a"), text("Hello")], error: net() },
        { events: [start("b"), text("Goodbye"), finish] },
      ],
      { retryStreamsAfterContent: true },
    );
    await run();
    expect(seen).toEqual([start("a"), text("Hello"), start("b"), text("Goodbye"), finish]);
  });

  it("still resumes a replay that matches", async () => {
    const { seen, run } = harness(
      [
        { events: [start("a"), text("Hello")], error: net() },
        { events: [start("b"), text("Hello world"), finish] },
      ],
      { retryStreamsAfterContent: true },
    );
    await run();
    expect(seen).toEqual([start("a"), text("Hello"), text(" world"), finish]);
  });

  it("restarts a stream that showed a tool call visibly, then resumes the new answer", async () => {
    const { seen, run } = harness(
      [
        { events: [start("a"), toolDelta], error: net() },
        { events: [start("b")], error: net() },
        { events: [start("c"), text("new")], error: net() },
        { events: [start("d"), text("new answer"), finish] },
      ],
      { retryStreamsAfterContent: true },
    );
    await run();
    expect(seen).toEqual([start("a"), toolDelta, start("c"), text("new"), text(" answer"), finish]);
  });

  it("shows a replay that finished short as a restart", async () => {
    const { seen, run } = harness(
      [
        { events: [start("a"), text("Hello")], error: net() },
        { events: [start("b"), text("He"), finish] },
      ],
      { retryStreamsAfterContent: true },
    );
    await run();
    expect(seen).toEqual([start("a"), text("Hello"), start("b"), text("He"), finish]);
  });

  it("shows a replay that signs reasoning where the caller saw none as a restart", async () => {
    const { seen, run } = harness(
      [
        { events: [start("a"), think("abc"), text("x")], error: net() },
        { events: [start("b"), think("abc", "sig"), text("xy"), finish] },
      ],
      { retryStreamsAfterContent: true },
    );
    await run();
    expect(seen.slice(3)).toEqual([start("b"), think("abc", "sig"), text("xy"), finish]);
  });

  it("shows a replay that ended short as a restart", async () => {
    const { seen, run } = harness(
      [{ events: [start("a"), text("Hello")], error: net() }, { events: [start("b"), text("He")] }],
      { retryStreamsAfterContent: true },
    );
    await run();
    expect(seen).toEqual([start("a"), text("Hello"), start("b"), text("He")]);
  });
});

describe("retryMiddleware: aborting a resume", () => {
  it("stops the wait before a resume with AbortError", async () => {
    const controller = new AbortController();
    const inner = scriptedClient([
      { events: [start("a"), text("Hello")], error: net() },
      { events: [start("b"), text("Hello world"), finish] },
    ]);
    const client = compose(
      inner,
      retryMiddleware({
        baseDelayMs: 60_000,
        maxDelayMs: 60_000,
        random: () => 1,
        onRetry: () => controller.abort(),
      }),
    );
    const seen: StreamEvent[] = [];
    const run = async () => {
      for await (const e of client.stream(request, { signal: controller.signal })) seen.push(e);
    };
    await expect(run()).rejects.toBeInstanceOf(AbortError);
    expect(textOf(seen)).toBe("Hello");
    expect(inner.calls).toHaveLength(1);
  });

  it("throws the AbortError of a resume attempt the caller aborted", async () => {
    const controller = new AbortController();
    const aborted = new AbortError("caller left");
    const inner = scriptedClient([
      { events: [start("a"), text("Hello")], error: net() },
      { events: [start("b"), text("He")], error: aborted },
    ]);
    const client = compose(inner, retryMiddleware({ sleep: async () => {}, random: () => 0 }));
    const run = async () => {
      for await (const _ of client.stream(request, { signal: controller.signal })) {
        // drain
      }
    };
    await expect(run()).rejects.toBe(aborted);
    expect(inner.calls).toHaveLength(2);
  });
});
