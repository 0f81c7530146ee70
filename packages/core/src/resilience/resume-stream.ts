import type { StreamEvent } from "../stream-event.js";
import { isContentEvent } from "./stream-content.js";

type Channel = "text" | "reasoning";

/** Consecutive deltas of one channel, merged: the answer as the caller saw it, in order. */
interface Run {
  channel: Channel;
  text: string;
}

/**
 * What a stream has shown its caller of the answer so far. Recording costs a
 * string append per text or reasoning delta; nothing else is kept.
 */
export class ShownContent {
  /** Text and reasoning, as runs of one channel each; never two adjacent runs of one channel. */
  runs: Run[] = [];
  /** Content events shown (empty deltas included): tells whether an attempt added any. */
  count = 0;
  /** Reasoning deltas shown that carried a signature. */
  signatures = 0;
  /** A tool call (or a fragment of one) was shown: v1 does not resume those. */
  tools = false;

  /** Called with content events only (`isContentEvent`). */
  record(event: StreamEvent): void {
    switch (event.type) {
      case "text-delta":
        this.#append("text", event.delta);
        return;
      case "reasoning-delta":
        if (event.signature !== undefined) this.signatures++;
        this.#append("reasoning", event.delta);
        return;
      case "tool-call-delta":
      case "tool-call":
        this.tools = true;
        this.count++;
        return;
    }
  }

  /** Forgets everything: the caller is about to see a new answer (a visible restart). */
  reset(): void {
    this.runs = [];
    this.signatures = 0;
    this.tools = false;
  }

  #append(channel: Channel, delta: string): void {
    this.count++;
    if (delta === "") return;
    const last = this.runs[this.runs.length - 1];
    if (last?.channel === channel) last.text += delta;
    else this.runs.push({ channel, text: delta });
  }
}

/**
 * Thrown by `resumeStream` when the new attempt does not reproduce what the
 * caller already has; the retry loop turns it into the error that cut the stream.
 */
export class ReplayDiverged extends Error {
  constructor() {
    super("the resumed stream diverged from what the caller already received");
  }
}

/**
 * One attempt of a stream that may later be resumed: as `attemptStream`
 * (leading non-content events are held until the first content, so an attempt
 * that fails before content shows nothing), and every content event is
 * recorded in `shown` as it goes out (replacing what an earlier attempt
 * showed, when retried visibly after a tool call).
 */
export async function* recordedAttempt(
  events: AsyncIterable<StreamEvent>,
  shown: ShownContent,
): AsyncGenerator<StreamEvent, void, undefined> {
  let held: StreamEvent[] | undefined = [];
  for await (const event of events) {
    if (held === undefined) {
      if (isContentEvent(event)) shown.record(event);
      yield event;
      continue;
    }
    if (!isContentEvent(event)) {
      held.push(event);
      continue;
    }
    // The caller now holds this attempt's answer: after a visible restart, a new one.
    if (shown.count > 0) shown.reset();
    shown.record(event);
    const pending = held;
    held = undefined;
    for (const e of pending) yield e;
    yield event;
  }
  if (held) for (const e of held) yield e;
}

/**
 * A new attempt of a stream whose caller already holds part of the answer
 * (`shown`). The attempt's events are kept, not shown, while it replays what
 * the caller has: its `start` is dropped (the caller has one), and its text and
 * reasoning must reproduce `shown` exactly, in the same order. Once they cover
 * it, the part beyond is shown and the rest passes through unchanged (usage and
 * finish included), so the caller sees one seamless stream.
 *
 * If the attempt says anything else first — other text, a tool call, a finish,
 * an end — it diverged: with `restartVisibly` (`retryStreamsAfterContent`) its
 * kept events are shown as a restarted answer; otherwise `ReplayDiverged` is
 * thrown and nothing of it was shown.
 */
export async function* resumeStream(
  events: AsyncIterable<StreamEvent>,
  shown: ShownContent,
  restartVisibly: boolean,
): AsyncGenerator<StreamEvent, void, undefined> {
  const runs = shown.runs;
  let remaining = 0;
  for (const run of runs) remaining += run.text.length;
  let runIndex = 0;
  let offset = 0;
  let signatures = 0;
  /** This attempt's events while it catches up; `undefined` once it passes through. */
  let kept: StreamEvent[] | undefined = [];

  /** The part of `delta` beyond what the caller has, or `undefined` if it contradicts it. */
  const cover = (channel: Channel, delta: string): string | undefined => {
    let at = 0;
    while (remaining > 0 && at < delta.length) {
      let run = runs[runIndex] as Run;
      if (offset === run.text.length) {
        runIndex++;
        offset = 0;
        run = runs[runIndex] as Run;
      }
      if (run.channel !== channel) return undefined;
      const take = Math.min(delta.length - at, run.text.length - offset);
      if (!run.text.startsWith(delta.slice(at, at + take), offset)) return undefined;
      at += take;
      offset += take;
      remaining -= take;
    }
    return at === 0 ? delta : delta.slice(at);
  };

  for await (const event of events) {
    if (kept === undefined) {
      if (isContentEvent(event)) shown.record(event);
      yield event;
      continue;
    }
    kept.push(event);
    let beyond: StreamEvent | undefined;
    if (event.type === "text-delta" || event.type === "reasoning-delta") {
      const rest = cover(event.type === "text-delta" ? "text" : "reasoning", event.delta);
      if (rest === undefined) {
        yield* diverge();
        continue;
      }
      if (event.type === "reasoning-delta" && event.signature !== undefined) {
        signatures++;
        // A signature the caller lacks can only close what it already has.
        if (rest === "" && signatures > shown.signatures) {
          if (remaining > 0) {
            yield* diverge();
            continue;
          }
          beyond = { type: "reasoning-delta", delta: "", signature: event.signature };
        }
      }
      if (rest === event.delta) beyond = event;
      else if (rest !== "") beyond = { ...event, delta: rest };
      if (remaining > 0) continue;
    } else if (event.type === "start") {
      continue; // the caller has one
    } else if (!isContentEvent(event) && event.type !== "finish") {
      if (remaining > 0) continue; // held (usage, …) until the attempt catches up
      beyond = event;
    } else {
      // A tool call, or the end, before the attempt covered what the caller has.
      if (remaining > 0) {
        yield* diverge();
        continue;
      }
      beyond = event;
    }
    // Caught up: show what was held back (not `start`, not covered content), then go on.
    const pending = kept;
    kept = undefined;
    for (const e of pending) {
      if (e !== event && e.type !== "start" && !isContentEvent(e)) yield e;
    }
    if (beyond !== undefined) {
      if (isContentEvent(beyond)) shown.record(beyond);
      yield beyond;
    }
  }
  if (kept !== undefined) yield* diverge();

  /** Shows the kept events as a restarted answer, or throws `ReplayDiverged`. */
  function* diverge(): Generator<StreamEvent, void, undefined> {
    if (!restartVisibly) throw new ReplayDiverged();
    const pending = kept ?? [];
    kept = undefined;
    shown.reset();
    for (const e of pending) {
      if (isContentEvent(e)) shown.record(e);
      yield e;
    }
  }
}
