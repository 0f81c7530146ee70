import { type JsonObject, type JsonValue, readOptionalObject } from "@llm/core";
import type {
  OpenAIChatChunk,
  OpenAIChatResponse,
  OpenAIStreamMetadataReader,
} from "@llm/provider-openai";

/**
 * Categories one set of verdicts may hold. Azure reports about ten (`hate`,
 * `self_harm`, `sexual`, `violence`, `jailbreak`, `protected_material_*`,
 * `profanity`, `custom_blocklists`, `error`); a stream naming more is
 * damaged, and the ones past the bound are dropped rather than grown without end.
 */
export const MAX_FILTER_CATEGORIES = 32;

/** Azure's severity scale, lowest first: the merged verdict keeps the highest seen. */
const SEVERITY_RANK: Readonly<Record<string, number>> = { safe: 0, low: 1, medium: 2, high: 3 };

/** Verdict flags that, once true in any chunk, stay true for the answer. */
const FLAGS = ["filtered", "detected"] as const;

/**
 * Azure's content-filter verdicts of one answer (the prompt's, or the
 * completion's), merged over every place they arrive. A whole answer has one
 * set; a stream has one per annotated chunk — Azure filters the completion
 * in segments and reports each segment's verdicts — so they are folded into
 * one set, per category:
 *
 * - `filtered`, `detected`: true when any chunk said so;
 * - `severity`: the highest seen (`safe` < `low` < `medium` < `high`); a
 *   value off that scale counts only while no known one was seen;
 * - any other field (`citation`, `details`, an `error`'s `code`): the latest
 *   chunk's, replaced, never appended.
 *
 * Bounded: one object per category, at most `MAX_FILTER_CATEGORIES`, each
 * the size of one chunk's verdict — never a list per chunk. Metadata is read
 * leniently, as core's wire readers do: a value of the wrong type (results
 * that are not an object, a category that is not one, a flag that is not a
 * boolean) is dropped, not an error.
 */
export class FilterVerdicts {
  readonly #byCategory = new Map<string, JsonObject>();

  /** Folds one set of verdicts (`content_filter_results`) in. */
  add(results: unknown): void {
    const set = readOptionalObject(results);
    if (set === undefined) return;
    const byCategory = this.#byCategory;
    for (const category of Object.keys(set)) {
      const verdict = readOptionalObject(set[category]);
      if (verdict === undefined) continue;
      const seen = byCategory.get(category);
      if (seen === undefined && byCategory.size >= MAX_FILTER_CATEGORIES) continue;
      byCategory.set(category, mergeVerdict(seen, verdict));
    }
  }

  /** The merged set as plain JSON, or `undefined` when none arrived. */
  result(): JsonObject | undefined {
    // fromEntries defines own properties: a category named `__proto__` stays a key.
    return this.#byCategory.size === 0 ? undefined : Object.fromEntries(this.#byCategory);
  }
}

function mergeVerdict(seen: JsonObject | undefined, verdict: JsonObject): JsonObject {
  const merged: JsonObject = { ...verdict };
  for (const flag of FLAGS) {
    const before = seen?.[flag];
    const now = verdict[flag];
    if (typeof before === "boolean" || typeof now === "boolean")
      merged[flag] = before === true || now === true;
    else delete merged[flag];
  }
  const severity = higherSeverity(seen?.severity, verdict.severity);
  if (severity === undefined) delete merged.severity;
  else merged.severity = severity;
  return merged;
}

function higherSeverity(before: JsonValue | undefined, now: JsonValue | undefined) {
  const a = typeof before === "string" ? before : undefined;
  const b = typeof now === "string" ? now : undefined;
  const rankA = a === undefined ? undefined : SEVERITY_RANK[a];
  const rankB = b === undefined ? undefined : SEVERITY_RANK[b];
  if (rankA !== undefined && (rankB === undefined || rankA > rankB)) return a;
  if (rankB !== undefined) return b;
  return b ?? a;
}

/** The prompt's verdicts of an answer: `prompt_filter_results[0].content_filter_results`. */
function promptResults(promptFilterResults: unknown): unknown {
  if (!Array.isArray(promptFilterResults)) return undefined;
  return readOptionalObject(promptFilterResults[0])?.content_filter_results;
}

/** The completion's verdicts in a response or chunk: `choices[0].content_filter_results`. */
function completionResults(choices: unknown): unknown {
  if (!Array.isArray(choices)) return undefined;
  return readOptionalObject(choices[0])?.content_filter_results;
}

/** `{ promptFilterResults?, contentFilterResults? }`, or `undefined` when both are empty. */
function metadataOf(
  prompt: FilterVerdicts,
  completion: FilterVerdicts,
): Record<string, JsonValue> | undefined {
  const promptFilterResults = prompt.result();
  const contentFilterResults = completion.result();
  if (promptFilterResults === undefined && contentFilterResults === undefined) return undefined;
  const out: Record<string, JsonValue> = {};
  if (promptFilterResults !== undefined) out.promptFilterResults = promptFilterResults;
  if (contentFilterResults !== undefined) out.contentFilterResults = contentFilterResults;
  return out;
}

/**
 * `providerMetadata` of a whole answer: `promptFilterResults` (the prompt's
 * verdicts) and `contentFilterResults` (the first choice's), when Azure sent
 * them — read by the same rules as a stream's, so both give the same value.
 */
export function readContentFilterMetadata(
  body: OpenAIChatResponse,
): Record<string, JsonValue> | undefined {
  const wire = body as OpenAIChatResponse & { prompt_filter_results?: unknown };
  const prompt = new FilterVerdicts();
  const completion = new FilterVerdicts();
  prompt.add(promptResults(wire.prompt_filter_results));
  completion.add(completionResults(wire.choices));
  return metadataOf(prompt, completion);
}

/**
 * The same metadata read off a stream, one reader per stream: the prompt's
 * verdicts arrive in an early chunk (the id-less one that opens the stream),
 * the completion's on the content chunks and the finishing one; each is
 * merged into one set (see `FilterVerdicts`).
 */
export class ContentFilterStreamMetadata implements OpenAIStreamMetadataReader {
  readonly #prompt = new FilterVerdicts();
  readonly #completion = new FilterVerdicts();

  read(chunk: OpenAIChatChunk): void {
    const wire = chunk as OpenAIChatChunk & { prompt_filter_results?: unknown };
    this.#prompt.add(promptResults(wire.prompt_filter_results));
    this.#completion.add(completionResults(wire.choices));
  }

  result(): Record<string, JsonValue> | undefined {
    return metadataOf(this.#prompt, this.#completion);
  }
}

/** The chat client's `streamMetadata` hook: a fresh reader per stream. */
export const contentFilterStreamMetadata = (): OpenAIStreamMetadataReader =>
  new ContentFilterStreamMetadata();
