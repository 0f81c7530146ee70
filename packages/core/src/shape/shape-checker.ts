import { isLLMError } from "../errors/llm-error.js";
import { isRecord } from "../provider-utils/is-record.js";
import type { FinishReason } from "../response.js";
import { describeValue, expected } from "./describe-value.js";

/**
 * Bounds on what one answer may contain. A value outside them is treated as
 * damaged: a real answer never has a hundred thousand tool calls, and a
 * crafted one must not make a check cost seconds or blow the stack.
 */
export interface ShapeLimits {
  /** Content parts of a response. Default 10 000. */
  maxParts?: number;
  /** Tool calls of a response. Default 1 000. */
  maxToolCalls?: number;
  /** Nesting of JSON values (tool inputs, provider metadata). Default 64. */
  maxDepth?: number;
  /** Nodes of all JSON values checked by one checker together. Default 100 000. */
  maxJsonNodes?: number;
}

/** A problem: the first bad path and what was wrong there; `undefined` when there is none. */
export type ShapeProblem = string | undefined;

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

/**
 * Checks values against the contracts of `@llm/core` (`ChatResponse`,
 * `StreamEvent`, `EmbeddingResponse`): every field the type promises, of the
 * type it promises, within `ShapeLimits`. Each method returns the first
 * problem with its path, or `undefined`.
 *
 * One checker per answer: the JSON node budget is shared by all the values it
 * checks, so a recorded stream of many events is bounded as a whole.
 *
 * Hand-written on purpose: it runs on cache hits and over every event in the
 * reliability fuzz, where a schema library would cost more than the value.
 */
export class ShapeChecker {
  readonly #maxParts: number;
  readonly #maxToolCalls: number;
  readonly #maxDepth: number;
  #jsonBudget: number;

  constructor(limits: ShapeLimits = {}) {
    this.#maxParts = limits.maxParts ?? 10_000;
    this.#maxToolCalls = limits.maxToolCalls ?? 1_000;
    this.#maxDepth = limits.maxDepth ?? 64;
    this.#jsonBudget = limits.maxJsonNodes ?? 100_000;
  }

  response(r: unknown, path: string): ShapeProblem {
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
    const finish = finishReason(r, path);
    if (finish !== undefined) return finish;
    const usage = this.usage(r.usage, `${path}.usage`);
    if (usage !== undefined) return usage;
    if (r.origin !== undefined && !isRecord(r.origin))
      return expected(`${path}.origin`, "object", r.origin);
    const meta = this.answerMetadata(r.providerMetadata, `${path}.providerMetadata`);
    if (meta !== undefined) return meta;
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

  /** One stream event on its own; where it may stand in a stream is the caller's rule. */
  event(e: unknown, path: string): ShapeProblem {
    if (!isRecord(e)) return expected(path, "object", e);
    switch (e.type) {
      case "start":
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
        return (
          finishReason(e, path) ??
          optionalString(e, "rawFinishReason", path) ??
          this.usage(e.usage, `${path}.usage`) ??
          this.warnings(e.warnings, `${path}.warnings`) ??
          this.answerMetadata(e.providerMetadata, `${path}.providerMetadata`)
        );
      case "error":
        return isLLMError(e.error) ? undefined : expected(`${path}.error`, "an LLMError", e.error);
      default:
        return `${path}.type: expected a stream event type, got ${describeValue(e.type)}`;
    }
  }

  /** An `EmbeddingResponse`: one Float32 vector per input, all of one dimension. */
  embedding(r: unknown, path: string): ShapeProblem {
    if (!isRecord(r)) return expected(path, "object", r);
    const strings =
      requireString(r, "provider", path) ??
      requireString(r, "model", path) ??
      optionalString(r, "requestId", path);
    if (strings !== undefined) return strings;
    if (!isRecord(r.usage)) return expected(`${path}.usage`, "object", r.usage);
    if (!isCount(r.usage.inputTokens))
      return notCount(`${path}.usage.inputTokens`, r.usage.inputTokens);
    if (r.cached !== undefined && !isCount(r.cached)) return notCount(`${path}.cached`, r.cached);
    const vectors = r.embeddings;
    if (!Array.isArray(vectors)) return expected(`${path}.embeddings`, "array", vectors);
    const first: unknown = vectors[0];
    for (let i = 0; i < vectors.length; i++) {
      const vector: unknown = vectors[i];
      const at = `${path}.embeddings[${i}]`;
      if (!(vector instanceof Float32Array)) return expected(at, "Float32Array", vector);
      if (first instanceof Float32Array && vector.length !== first.length)
        return `${at}: ${vector.length} dimensions, expected ${first.length} like embeddings[0]`;
    }
    return undefined;
  }

  part(p: unknown, path: string): ShapeProblem {
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
        return `${path}.type: expected "text", "reasoning" or "tool-call", got ${describeValue(p.type)}`;
    }
  }

  toolCall(c: unknown, path: string): ShapeProblem {
    if (!isRecord(c)) return expected(path, "object", c);
    return (
      requireString(c, "id", path) ??
      requireString(c, "name", path) ??
      this.jsonMember(c, "input", path) ??
      this.providerMetadata(c, path)
    );
  }

  /** Optional `providerMetadata` of a tool call: an object of JSON objects, one per provider. */
  providerMetadata(o: Record<string, unknown>, path: string): ShapeProblem {
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

  /**
   * Optional `providerMetadata` of a whole answer (a response or a finish
   * event): an object of JSON values, not namespaced (`{ refusal: "…" }`).
   */
  answerMetadata(meta: unknown, path: string): ShapeProblem {
    if (meta === undefined) return undefined;
    if (!isRecord(meta)) return expected(path, "object", meta);
    return this.json(meta, path, 0);
  }

  /** Optional `warnings` (`CallWarning[]`) of a response or a finish event. */
  warnings(w: unknown, path: string): ShapeProblem {
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
            : `${at}.type: expected "unsupported-setting" or "other", got ${describeValue(warning.type)}`;
      if (problem !== undefined) return problem;
    }
    return undefined;
  }

  usage(u: unknown, path: string): ShapeProblem {
    if (!isRecord(u)) return expected(path, "object", u);
    for (const name of ["inputTokens", "outputTokens", "totalTokens"] as const) {
      if (!isCount(u[name])) return notCount(`${path}.${name}`, u[name]);
    }
    for (const name of ["cachedInputTokens", "reasoningTokens"] as const) {
      if (u[name] !== undefined && !isCount(u[name])) return notCount(`${path}.${name}`, u[name]);
    }
    return undefined;
  }

  jsonMember(o: Record<string, unknown>, name: string, path: string): ShapeProblem {
    if (!(name in o)) return `${path}.${name}: missing`;
    return this.json(o[name], `${path}.${name}`, 0);
  }

  /** A JSON value: plain data only, bounded in depth and in total size. */
  json(value: unknown, path: string, depth: number): ShapeProblem {
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

/** A token count: what every provider documents, a non-negative integer. */
const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

const notCount = (path: string, v: unknown): string =>
  `${path}: expected a non-negative integer, got ${describeValue(v)}`;

function finishReason(o: Record<string, unknown>, path: string): ShapeProblem {
  const v = o.finishReason;
  return typeof v === "string" && FINISH_REASONS.has(v)
    ? undefined
    : `${path}.finishReason: expected a finish reason, got ${describeValue(v)}`;
}

function requireString(o: Record<string, unknown>, name: string, path: string): ShapeProblem {
  return typeof o[name] === "string" ? undefined : expected(`${path}.${name}`, "string", o[name]);
}

function optionalString(o: Record<string, unknown>, name: string, path: string): ShapeProblem {
  const v = o[name];
  return v === undefined || typeof v === "string"
    ? undefined
    : expected(`${path}.${name}`, "string", v);
}

function requireIndex(o: Record<string, unknown>, path: string): ShapeProblem {
  const v = o.index;
  return Number.isSafeInteger(v) && (v as number) >= 0
    ? undefined
    : `${path}.index: expected a non-negative integer, got ${describeValue(v)}`;
}
