import { isRecord, type JsonObject, type JsonValue } from "@llm/core";

/**
 * LangChain generations as this cache stores them: short field names, and
 * nothing LangChain recomputes or overwrites on a hit — usage (a hit reports
 * zero tokens) and a generation's `text` when it equals its message's text —
 * and no empty field.
 */
export interface StoredGenerations {
  /** Format version; an entry of another version is a miss. */
  v: 1;
  g: StoredGeneration[];
}

export interface StoredGeneration {
  /** The generation's text, when it differs from its message's text (or there is no message). */
  t?: string;
  /** The AI message of a chat generation. */
  m?: StoredAIMessage;
  /** `generationInfo`, when not empty. */
  i?: JsonObject;
}

export interface StoredAIMessage {
  /** Content: a string or content blocks. */
  c: string | JsonObject[];
  id?: string;
  /** `name` */
  n?: string;
  /** Tool calls. */
  tc?: StoredToolCall[];
  /** Invalid tool calls (arguments that did not parse), as LangChain keeps them. */
  itc?: JsonObject[];
  /** `response_metadata` */
  r?: JsonObject;
  /** `additional_kwargs` */
  k?: JsonObject;
}

export interface StoredToolCall {
  id?: string;
  /** Tool name. */
  n: string;
  /** Arguments. */
  a: JsonObject;
}

export const STORED_GENERATIONS_VERSION = 1;

/**
 * Bounds on an entry read back. A real entry is far inside them; a forged or
 * damaged one must not cost seconds to check, blow the stack or flood memory.
 */
export interface GenerationLimits {
  /** Generations in one entry. Default 16. */
  maxGenerations?: number;
  /** Tool calls (valid + invalid) of one message. Default 256. */
  maxToolCalls?: number;
  /** Nesting of JSON values (content blocks, arguments, metadata). Default 32. */
  maxDepth?: number;
  /** JSON nodes of one entry, all values together. Default 50 000. */
  maxJsonNodes?: number;
}

type Problem = string | undefined;

/**
 * Why `value` is not a usable `StoredGenerations`, or `undefined` when it is.
 * The reason names the first bad path and the kind of value found there —
 * never the value (it may hold anything a user typed).
 */
export function storedGenerationsProblem(
  value: unknown,
  limits: GenerationLimits = {},
): string | undefined {
  return new Checker(limits).entry(value);
}

class Checker {
  readonly #maxGenerations: number;
  readonly #maxToolCalls: number;
  readonly #maxDepth: number;
  #nodes: number;

  constructor(limits: GenerationLimits) {
    this.#maxGenerations = limits.maxGenerations ?? 16;
    this.#maxToolCalls = limits.maxToolCalls ?? 256;
    this.#maxDepth = limits.maxDepth ?? 32;
    this.#nodes = limits.maxJsonNodes ?? 50_000;
  }

  entry(value: unknown): Problem {
    if (!isRecord(value)) return expected("entry", "object", value);
    if (value.v !== STORED_GENERATIONS_VERSION)
      return `entry.v: expected ${STORED_GENERATIONS_VERSION}, got ${kindOf(value.v)}`;
    const g = value.g;
    if (!Array.isArray(g)) return expected("entry.g", "array", g);
    if (g.length === 0) return "entry.g: expected at least one generation, got none";
    if (g.length > this.#maxGenerations)
      return `entry.g: ${g.length} generations, more than the limit of ${this.#maxGenerations}`;
    for (let i = 0; i < g.length; i++) {
      const problem = this.generation(g[i], `entry.g[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }

  generation(value: unknown, path: string): Problem {
    if (!isRecord(value)) return expected(path, "object", value);
    if (value.t !== undefined && typeof value.t !== "string")
      return expected(`${path}.t`, "string", value.t);
    if (value.t === undefined && value.m === undefined)
      return `${path}: expected a text (t) or a message (m), got neither`;
    if (value.i !== undefined) {
      const problem = this.jsonObject(value.i, `${path}.i`);
      if (problem) return problem;
    }
    return value.m === undefined ? undefined : this.message(value.m, `${path}.m`);
  }

  message(m: unknown, path: string): Problem {
    if (!isRecord(m)) return expected(path, "object", m);
    if (typeof m.c !== "string") {
      if (!Array.isArray(m.c)) return expected(`${path}.c`, "string or array", m.c);
      const problem = this.objectList(m.c, `${path}.c`, Number.POSITIVE_INFINITY);
      if (problem) return problem;
    }
    for (const field of ["id", "n"] as const) {
      if (m[field] !== undefined && typeof m[field] !== "string")
        return expected(`${path}.${field}`, "string", m[field]);
    }
    for (const field of ["r", "k"] as const) {
      if (m[field] === undefined) continue;
      const problem = this.jsonObject(m[field], `${path}.${field}`);
      if (problem) return problem;
    }
    if (m.itc !== undefined) {
      const problem = this.objectList(m.itc, `${path}.itc`, this.#maxToolCalls);
      if (problem) return problem;
    }
    if (m.tc === undefined) return undefined;
    if (!Array.isArray(m.tc)) return expected(`${path}.tc`, "array", m.tc);
    if (m.tc.length > this.#maxToolCalls)
      return `${path}.tc: ${m.tc.length} tool calls, more than the limit of ${this.#maxToolCalls}`;
    for (let i = 0; i < m.tc.length; i++) {
      const problem = this.toolCall(m.tc[i], `${path}.tc[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }

  toolCall(call: unknown, path: string): Problem {
    if (!isRecord(call)) return expected(path, "object", call);
    if (typeof call.n !== "string") return expected(`${path}.n`, "string", call.n);
    if (call.id !== undefined && typeof call.id !== "string")
      return expected(`${path}.id`, "string", call.id);
    return this.jsonObject(call.a, `${path}.a`);
  }

  objectList(list: unknown, path: string, max: number): Problem {
    if (!Array.isArray(list)) return expected(path, "array", list);
    if (list.length > max) return `${path}: ${list.length} items, more than the limit of ${max}`;
    for (let i = 0; i < list.length; i++) {
      const problem = this.jsonObject(list[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }

  jsonObject(value: unknown, path: string): Problem {
    if (!isRecord(value)) return expected(path, "object", value);
    return this.json(value, path, 1);
  }

  /** Plain JSON, within the depth and node budget (iterates children, recurses at most `maxDepth`). */
  json(value: unknown, path: string, depth: number): Problem {
    if (--this.#nodes < 0) return `${path}: the entry holds more JSON nodes than the limit`;
    if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
    if (typeof value === "number")
      return Number.isFinite(value) ? undefined : expected(path, "finite number", value);
    if (typeof value !== "object") return expected(path, "JSON value", value);
    if (depth > this.#maxDepth) return `${path}: nested deeper than the limit of ${this.#maxDepth}`;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = this.json(value[i], `${path}[${i}]`, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const problem = this.json(
        (value as Record<string, unknown>)[key],
        `${path}.${key}`,
        depth + 1,
      );
      if (problem) return problem;
    }
    return undefined;
  }
}

const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value;

const expected = (path: string, what: string, got: unknown): string =>
  `${path}: expected ${what}, got ${kindOf(got)}`;

/** A JSON value copied, so a frozen or shared stored value never reaches LangChain (which mutates results). */
export const copyJson = <T extends JsonValue>(value: T): T => structuredClone(value);
