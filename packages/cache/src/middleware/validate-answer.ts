import { type FinishReason, isRecord } from "@llm/core";

/**
 * Bounds on what a stored answer may contain. An entry outside them is
 * treated as damaged: a real answer never has a hundred thousand tool calls,
 * and a crafted one must not make a hit cost seconds or blow the stack.
 */
export interface AnswerLimits {
  /** Events of a recorded stream. Default 100 000. */
  maxEvents?: number;
  /** Content parts of a response. Default 10 000. */
  maxParts?: number;
  /** Tool calls of a response. Default 1 000. */
  maxToolCalls?: number;
  /** Nesting of JSON values (tool inputs, provider metadata). Default 64. */
  maxDepth?: number;
  /** Nodes of all JSON values of one answer together. Default 100 000. */
  maxJsonNodes?: number;
}

const FINISH_REASONS: ReadonlySet<string> = new Set<FinishReason>([
  "stop",
  "length",
  "tool-calls",
  "content-filter",
  "error",
  "other",
]);

/** Warnings of one answer: a provider reports a handful at most. */
const MAX_WARNINGS = 100;

/** The only answer version this code reads (kept in step with `ANSWER_VERSION`). */
const VERSION = 1;

type Problem = string | undefined;

/**
 * Why `value` is not a usable `CachedAnswer`, or `undefined` when it is.
 *
 * Checks the whole shape that hits and replay rely on — every content part,
 * tool call, usage figure and recorded event — so an entry that passes can
 * be served without any further checks. The reason names the first bad path
 * and the kind of value found there, never the value itself (an answer may
 * hold anything a user typed).
 *
 * Hand-written on purpose: it runs on every entry read back from L2 or
 * decoded from bytes, where a schema library would cost more than the hit.
 */
export function answerProblem(value: unknown, limits: AnswerLimits = {}): string | undefined {
  const check = new Checker(limits);
  if (!isRecord(value)) return `answer: expected object, got ${kindOf(value)}`;
  if (value.v !== VERSION) return `answer.v: expected ${VERSION}, got ${describe(value.v)}`;
  if (!isFiniteNumber(value.storedAt))
    return `answer.storedAt: expected number, got ${kindOf(value.storedAt)}`;
  if (value.kind === "response") return check.response(value.response, "answer.response");
  if (value.kind === "stream") return check.stream(value.events, "answer.events");
  return `answer.kind: expected "response" or "stream", got ${describe(value.kind)}`;
}

class Checker {
  readonly #maxEvents: number;
  readonly #maxParts: number;
  readonly #maxToolCalls: number;
  readonly #maxDepth: number;
  #jsonBudget: number;

  constructor(limits: AnswerLimits) {
    this.#maxEvents = limits.maxEvents ?? 100_000;
    this.#maxParts = limits.maxParts ?? 10_000;
    this.#maxToolCalls = limits.maxToolCalls ?? 1_000;
    this.#maxDepth = limits.maxDepth ?? 64;
    this.#jsonBudget = limits.maxJsonNodes ?? 100_000;
  }

  response(r: unknown, path: string): Problem {
    if (!isRecord(r)) return expected(path, "object", r);
    const strings =
      requireString(r, "id", path) ??
      requireString(r, "model", path) ??
      requireString(r, "provider", path) ??
      requireString(r, "text", path) ??
      optionalString(r, "reasoning", path) ??
      optionalString(r, "rawFinishReason", path) ??
      optionalString(r, "requestId", path);
    if (strings !== undefined) return strings;
    if (typeof r.finishReason !== "string" || !FINISH_REASONS.has(r.finishReason))
      return `${path}.finishReason: expected a finish reason, got ${describe(r.finishReason)}`;
    const usage = this.usage(r.usage, `${path}.usage`);
    if (usage !== undefined) return usage;
    if (r.origin !== undefined && !isRecord(r.origin))
      return expected(`${path}.origin`, "object", r.origin);
    if (r.providerMetadata !== undefined) {
      if (!isRecord(r.providerMetadata))
        return expected(`${path}.providerMetadata`, "object", r.providerMetadata);
      const meta = this.json(r.providerMetadata, `${path}.providerMetadata`, 0);
      if (meta !== undefined) return meta;
    }
    const warnings = this.warnings(r.warnings, `${path}.warnings`);
    if (warnings !== undefined) return warnings;

    const content = r.content;
    if (!Array.isArray(content)) return expected(`${path}.content`, "array", content);
    if (content.length > this.#maxParts)
      return `${path}.content: ${content.length} parts, more than ${this.#maxParts}`;
    for (let i = 0; i < content.length; i++) {
      const problem = this.part(content[i], `${path}.content[${i}]`);
      if (problem !== undefined) return problem;
    }

    const calls = r.toolCalls;
    if (!Array.isArray(calls)) return expected(`${path}.toolCalls`, "array", calls);
    if (calls.length > this.#maxToolCalls)
      return `${path}.toolCalls: ${calls.length} calls, more than ${this.#maxToolCalls}`;
    for (let i = 0; i < calls.length; i++) {
      const problem = this.toolCall(calls[i], `${path}.toolCalls[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  /**
   * A recorded stream. Replay and `StreamAccumulator` rely on: a `start`
   * first, no in-band errors, exactly one `finish` and it comes last, with a
   * usage (hit statistics read it).
   */
  stream(events: unknown, path: string): Problem {
    if (!Array.isArray(events)) return expected(path, "array", events);
    if (events.length === 0) return `${path}: empty, expected at least start and finish`;
    if (events.length > this.#maxEvents)
      return `${path}: ${events.length} events, more than ${this.#maxEvents}`;
    const last = events.length - 1;
    for (let i = 0; i <= last; i++) {
      const event: unknown = events[i];
      const at = `${path}[${i}]`;
      if (!isRecord(event)) return expected(at, "object", event);
      if (i === 0 && event.type !== "start")
        return `${at}.type: expected "start" first, got ${describe(event.type)}`;
      if (i === last && event.type !== "finish")
        return `${at}.type: expected "finish" last, got ${describe(event.type)}`;
      const problem = this.event(event, at, i);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  event(e: Record<string, unknown>, path: string, index: number): Problem {
    switch (e.type) {
      case "start":
        if (index !== 0) return `${path}.type: a second "start"`;
        return (
          requireString(e, "id", path) ??
          requireString(e, "model", path) ??
          requireString(e, "provider", path) ??
          optionalString(e, "requestId", path) ??
          (e.origin !== undefined && !isRecord(e.origin)
            ? expected(`${path}.origin`, "object", e.origin)
            : undefined)
        );
      case "text-delta":
        return requireString(e, "delta", path);
      case "reasoning-delta":
        return requireString(e, "delta", path) ?? optionalString(e, "signature", path);
      case "tool-call-delta":
        return (
          requireIndex(e, path) ??
          requireString(e, "toolCallId", path) ??
          requireString(e, "toolName", path) ??
          requireString(e, "argsDelta", path)
        );
      case "tool-call":
        return requireIndex(e, path) ?? this.toolCall(e.toolCall, `${path}.toolCall`);
      case "usage":
        return this.usage(e.usage, `${path}.usage`);
      case "finish":
        if (typeof e.finishReason !== "string" || !FINISH_REASONS.has(e.finishReason))
          return `${path}.finishReason: expected a finish reason, got ${describe(e.finishReason)}`;
        return (
          optionalString(e, "rawFinishReason", path) ??
          this.usage(e.usage, `${path}.usage`) ??
          this.warnings(e.warnings, `${path}.warnings`)
        );
      case "error":
        return `${path}.type: an "error" event, which is never stored`;
      default:
        return `${path}.type: expected a stream event type, got ${describe(e.type)}`;
    }
  }

  part(p: unknown, path: string): Problem {
    if (!isRecord(p)) return expected(path, "object", p);
    switch (p.type) {
      case "text":
        return requireString(p, "text", path);
      case "reasoning":
        return requireString(p, "text", path) ?? optionalString(p, "signature", path);
      case "tool-call":
        return (
          requireString(p, "toolCallId", path) ??
          requireString(p, "toolName", path) ??
          this.jsonMember(p, "input", path) ??
          this.providerMetadata(p, path)
        );
      default:
        return `${path}.type: expected "text", "reasoning" or "tool-call", got ${describe(p.type)}`;
    }
  }

  toolCall(c: unknown, path: string): Problem {
    if (!isRecord(c)) return expected(path, "object", c);
    return (
      requireString(c, "id", path) ??
      requireString(c, "name", path) ??
      this.jsonMember(c, "input", path) ??
      this.providerMetadata(c, path)
    );
  }

  /** Optional `providerMetadata` of a tool call: an object of JSON objects, one per provider. */
  providerMetadata(o: Record<string, unknown>, path: string): Problem {
    const meta = o.providerMetadata;
    if (meta === undefined) return undefined;
    const at = `${path}.providerMetadata`;
    if (!isRecord(meta)) return expected(at, "object", meta);
    // The key is not echoed: the path names only what the answer's shape fixes.
    for (const key in meta) {
      if (!isRecord(meta[key])) return expected(at, "an object per provider", meta[key]);
    }
    return this.json(meta, at, 0);
  }

  /** Optional `warnings` (`CallWarning[]`) of a response or a finish event. */
  warnings(w: unknown, path: string): Problem {
    if (w === undefined) return undefined;
    if (!Array.isArray(w)) return expected(path, "array", w);
    if (w.length > MAX_WARNINGS) return `${path}: ${w.length} warnings, more than ${MAX_WARNINGS}`;
    for (let i = 0; i < w.length; i++) {
      const warning: unknown = w[i];
      const at = `${path}[${i}]`;
      if (!isRecord(warning)) return expected(at, "object", warning);
      const problem =
        warning.type === "unsupported-setting"
          ? (requireString(warning, "setting", at) ?? optionalString(warning, "details", at))
          : warning.type === "other"
            ? requireString(warning, "message", at)
            : `${at}.type: expected "unsupported-setting" or "other", got ${describe(warning.type)}`;
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  usage(u: unknown, path: string): Problem {
    if (!isRecord(u)) return expected(path, "object", u);
    for (const name of ["inputTokens", "outputTokens", "totalTokens"] as const) {
      if (!isCount(u[name])) return `${path}.${name}: expected a count, got ${describe(u[name])}`;
    }
    for (const name of ["cachedInputTokens", "reasoningTokens"] as const) {
      if (u[name] !== undefined && !isCount(u[name]))
        return `${path}.${name}: expected a count, got ${describe(u[name])}`;
    }
    return undefined;
  }

  jsonMember(o: Record<string, unknown>, name: string, path: string): Problem {
    if (!(name in o)) return `${path}.${name}: missing`;
    return this.json(o[name], `${path}.${name}`, 0);
  }

  /** A JSON value: plain data only, bounded in depth and in total size. */
  json(value: unknown, path: string, depth: number): Problem {
    if (--this.#jsonBudget < 0) return `${path}: more JSON nodes than allowed`;
    if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
    if (typeof value === "number")
      return Number.isFinite(value) ? undefined : `${path}: expected a finite number`;
    if (typeof value !== "object") return expected(path, "JSON value", value);
    if (depth >= this.#maxDepth) return `${path}: nested deeper than ${this.#maxDepth}`;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = this.json(value[i], `${path}[${i}]`, depth + 1);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return expected(path, "plain object", value);
    for (const key in value) {
      const problem = this.json(
        (value as Record<string, unknown>)[key],
        `${path}.${key}`,
        depth + 1,
      );
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
}

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

const isCount = (v: unknown): boolean => isFiniteNumber(v) && v >= 0;

function requireString(o: Record<string, unknown>, name: string, path: string): Problem {
  return typeof o[name] === "string" ? undefined : expected(`${path}.${name}`, "string", o[name]);
}

function optionalString(o: Record<string, unknown>, name: string, path: string): Problem {
  const v = o[name];
  return v === undefined || typeof v === "string"
    ? undefined
    : expected(`${path}.${name}`, "string", v);
}

function requireIndex(o: Record<string, unknown>, path: string): Problem {
  const v = o.index;
  return Number.isSafeInteger(v) && (v as number) >= 0
    ? undefined
    : `${path}.index: expected a non-negative integer, got ${describe(v)}`;
}

const expected = (path: string, what: string, got: unknown): string =>
  `${path}: expected ${what}, got ${kindOf(got)}`;

/** The kind of a value, never its content (entries may hold user data). */
function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

/** Small enumerated values (versions, kinds, event types) are safe to echo; anything else only by kind. */
function describe(v: unknown): string {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v.length <= 24 && /^[\w-]*$/.test(v)) return JSON.stringify(v);
  return kindOf(v);
}

/**
 * Why `value` cannot be relayed as one stream event (the same checks as an
 * event of a stored stream), or `undefined` when it can. For events that
 * arrive one at a time from another process (a cross-process flight).
 */
export function streamEventProblem(value: unknown, limits: AnswerLimits = {}): string | undefined {
  if (!isRecord(value)) return expected("event", "object", value);
  return new Checker(limits).event(value, "event", value.type === "start" ? 0 : 1);
}
