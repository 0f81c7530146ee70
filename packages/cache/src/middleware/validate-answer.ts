import { describeValue, isRecord, kindOf, ShapeChecker, type ShapeLimits } from "@llm/core";

/**
 * Bounds on what a stored answer may contain: core's `ShapeLimits` on every
 * response and event, plus the length of a recorded stream. An entry outside
 * them is treated as damaged: a real answer never has a hundred thousand tool
 * calls, and a crafted one must not make a hit cost seconds or blow the stack.
 */
export interface AnswerLimits extends ShapeLimits {
  /** Events of a recorded stream. Default 100 000. */
  maxEvents?: number;
}

/** The only answer version this code reads (kept in step with `ANSWER_VERSION`). */
const VERSION = 1;

/**
 * Why `value` is not a usable `CachedAnswer`, or `undefined` when it is.
 *
 * The response or every recorded event is checked against core's contracts
 * (`ShapeChecker`: every content part, tool call, usage figure), so an entry
 * that passes can be served without any further checks; what is checked here
 * is what only a cache entry has — its envelope and the order of a recorded
 * stream. The reason names the first bad path and the kind of value found
 * there, never the value itself (an answer may hold anything a user typed).
 */
export function answerProblem(value: unknown, limits: AnswerLimits = {}): string | undefined {
  if (!isRecord(value)) return `answer: expected object, got ${kindOf(value)}`;
  if (value.v !== VERSION) return `answer.v: expected ${VERSION}, got ${describeValue(value.v)}`;
  if (typeof value.storedAt !== "number" || !Number.isFinite(value.storedAt))
    return `answer.storedAt: expected number, got ${kindOf(value.storedAt)}`;
  const check = new ShapeChecker(limits);
  if (value.kind === "response") return check.response(value.response, "answer.response");
  if (value.kind === "stream")
    return streamProblem(check, value.events, "answer.events", limits.maxEvents ?? 100_000);
  return `answer.kind: expected "response" or "stream", got ${describeValue(value.kind)}`;
}

/**
 * A recorded stream. Replay and `StreamAccumulator` rely on: a `start`
 * first, no in-band errors, exactly one `finish` and it comes last, with a
 * usage (hit statistics read it).
 */
function streamProblem(
  check: ShapeChecker,
  events: unknown,
  path: string,
  maxEvents: number,
): string | undefined {
  if (!Array.isArray(events)) return `${path}: expected array, got ${kindOf(events)}`;
  if (events.length === 0) return `${path}: empty, expected at least start and finish`;
  if (events.length > maxEvents) return `${path}: ${events.length} events, more than ${maxEvents}`;
  const last = events.length - 1;
  for (let i = 0; i <= last; i++) {
    const event: unknown = events[i];
    const at = `${path}[${i}]`;
    if (!isRecord(event)) return `${at}: expected object, got ${kindOf(event)}`;
    if (i === 0 && event.type !== "start")
      return `${at}.type: expected "start" first, got ${describeValue(event.type)}`;
    if (i === last && event.type !== "finish")
      return `${at}.type: expected "finish" last, got ${describeValue(event.type)}`;
    const problem = storedEventProblem(check, event, at, i);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** One event as a cache may hold it: core's shape, no second `start`, never an in-band error. */
function storedEventProblem(
  check: ShapeChecker,
  event: Record<string, unknown>,
  path: string,
  index: number,
): string | undefined {
  if (event.type === "start" && index !== 0) return `${path}.type: a second "start"`;
  if (event.type === "error") return `${path}.type: an "error" event, which is never stored`;
  return check.event(event, path);
}

/**
 * Why `value` cannot be relayed as one stream event (the same checks as an
 * event of a stored stream), or `undefined` when it can. For events that
 * arrive one at a time from another process (a cross-process flight).
 */
export function streamEventProblem(value: unknown, limits: AnswerLimits = {}): string | undefined {
  if (!isRecord(value)) return `event: expected object, got ${kindOf(value)}`;
  return storedEventProblem(
    new ShapeChecker(limits),
    value,
    "event",
    value.type === "start" ? 0 : 1,
  );
}
