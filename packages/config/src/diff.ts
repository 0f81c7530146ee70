import { isSecret, isSecretURL } from "@llm/core";
import { formatPath, isPlainObject, type PathSegment } from "./merge.js";
import { redactValue } from "./secrets.js";

/** One changed leaf (or replaced array) between two configs; secrets read `"[REDACTED]"`. */
export interface ConfigChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** Changed paths from `before` to `after`, depth first, in key order. */
export function diffConfig(before: unknown, after: unknown): ConfigChange[] {
  const changes: ConfigChange[] = [];
  walk(before, after, [], changes);
  return changes;
}

function walk(before: unknown, after: unknown, path: PathSegment[], out: ConfigChange[]): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) walk(before[key], after[key], [...path, key], out);
    return;
  }
  if (!same(before, after)) {
    out.push({ path: formatPath(path), before: redactValue(before), after: redactValue(after) });
  }
}

/** Structural equality; secrets compare by value without exposing it. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (isSecret(a) || isSecret(b)) return isSecret(a) && isSecret(b) && a.reveal() === b.reveal();
  if (isSecretURL(a) || isSecretURL(b))
    return isSecretURL(a) && isSecretURL(b) && a.reveal() === b.reveal();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => same(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!same(a[key], b[key])) return false;
    return true;
  }
  return false;
}
