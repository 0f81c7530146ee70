import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import type { CallOptions, LLMClient } from "../client.js";
import { compose } from "../compose.js";
import type { ChatRequest } from "../request.js";
import { retryMiddleware } from "../resilience/retry.js";
import { abortableSleep } from "../resilience/sleep.js";
import { timeoutMiddleware } from "../resilience/timeout.js";
import type { StreamEvent } from "../stream-event.js";
import { textResponse, textStream } from "../test-support/scripted-client.js";
import { onAbort } from "./abort-listeners.js";
import { openCallSignal } from "./call-signal.js";
import { linkSignals } from "./signals.js";

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;

describe("onAbort", () => {
  it("puts one listener on a signal however many operations wait on it", () => {
    const controller = new AbortController();
    const offs = Array.from({ length: 100 }, () => onAbort(controller.signal, () => {}));
    expect(listeners(controller.signal)).toBe(1);
    for (const off of offs) off();
    expect(listeners(controller.signal)).toBe(0);
  });

  it("calls every registered listener once when the signal aborts, in order", () => {
    const controller = new AbortController();
    const calls: number[] = [];
    onAbort(controller.signal, () => calls.push(1));
    const off = onAbort(controller.signal, () => calls.push(2));
    onAbort(controller.signal, () => calls.push(3));
    off();
    controller.abort();
    controller.abort();
    expect(calls).toEqual([1, 3]);
    expect(listeners(controller.signal)).toBe(0);
  });

  it("treats unregistering twice as once", () => {
    const controller = new AbortController();
    const off = onAbort(controller.signal, () => {});
    const kept = onAbort(controller.signal, () => {});
    off();
    off();
    expect(listeners(controller.signal)).toBe(1);
    kept();
    expect(listeners(controller.signal)).toBe(0);
  });
});

/** An in-process client that records how many listeners the caller's signal holds mid-call. */
function probeClient(caller: AbortSignal, peak: { value: number }): LLMClient {
  const sample = () => {
    peak.value = Math.max(peak.value, listeners(caller));
  };
  return {
    provider: "probe",
    async generate(request: ChatRequest, options?: CallOptions) {
      sample();
      await abortableSleep(1, options?.signal);
      sample();
      return textResponse(String(request.messages.length));
    },
    async *stream(_request: ChatRequest, options?: CallOptions): AsyncGenerator<StreamEvent> {
      for (const event of textStream("s")) {
        sample();
        await abortableSleep(0, options?.signal);
        yield event;
      }
    },
  };
}

describe("abort listeners over a 10,000-request run", () => {
  it("adds no listener to the caller's shared signal, and holds at most one at a time", async () => {
    const caller = new AbortController();
    const peak = { value: 0 };
    const client = compose(
      probeClient(caller.signal, peak),
      retryMiddleware({ maxAttempts: 2 }),
      timeoutMiddleware({ totalMs: 60_000, idleMs: 30_000 }),
    );
    const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };
    const options: CallOptions = { signal: caller.signal, timeoutMs: 60_000 };
    const before = listeners(caller.signal);
    let next = 0;
    const worker = async () => {
      while (next < 10_000) {
        const n = next++;
        if (n % 10 === 0) {
          for await (const _ of client.stream(request, options)) {
            // drain
          }
        } else {
          await client.generate(request, options);
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    expect(listeners(caller.signal)).toBe(before);
    expect(peak.value).toBeLessThanOrEqual(1);
  });

  it("leaves no listener on a long-lived signal after linked and call signals are disposed", () => {
    const scope = new AbortController();
    for (let i = 0; i < 10_000; i++) {
      const linked = linkSignals(scope.signal, new AbortController().signal);
      const call = openCallSignal({ signal: linked.signal, timeoutMs: 1_000 }, true);
      call.dispose();
      linked.dispose();
    }
    expect(listeners(scope.signal)).toBe(0);
  });
});
