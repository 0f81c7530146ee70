/**
 * Layer merging: plain objects merge key by key, everything else (arrays,
 * `Secret`s, scalars) replaces. An object whose `type` differs from the one
 * it lands on replaces it whole: it is another variant of a union (an L2
 * cache switched from `sqlite` to `redis` must not keep the sqlite `path`).
 * Keys that could reach a prototype are dropped.
 */

export type DeepPartial<T> = T extends readonly (infer _U)[]
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

export type PathSegment = string | number;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isSafeKey(key: string): boolean {
  return !FORBIDDEN_KEYS.has(key);
}

/** Returns a new value: `over` merged onto `base`. Neither input is modified. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  if ("type" in over && "type" in base && over.type !== base.type) return deepMerge({}, over);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) if (isSafeKey(key)) out[key] = value;
  for (const [key, value] of Object.entries(over)) {
    if (!isSafeKey(key) || value === undefined) continue;
    out[key] = deepMerge(out[key], value);
  }
  return out;
}

/** Sets `value` at `path` inside `root` (mutating), creating objects on the way. */
export function setPath(root: Record<string, unknown>, path: PathSegment[], value: unknown): void {
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] as PathSegment;
    if (typeof key === "string" && !isSafeKey(key)) return;
    const last = i === path.length - 1;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    const next = container[key];
    if (isPlainObject(next) || Array.isArray(next)) {
      // Copy on write so a layer object shared with the caller is never changed.
      const copy: Record<string, unknown> | unknown[] = Array.isArray(next)
        ? [...next]
        : { ...next };
      container[key] = copy;
      node = copy;
    } else {
      const fresh: Record<string, unknown> = {};
      container[key] = fresh;
      node = fresh;
    }
  }
}

/** True when `root` holds a defined value at `path`. */
export function hasPath(root: unknown, path: readonly PathSegment[]): boolean {
  let node = root;
  for (const key of path) {
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isPlainObject(node)) node = Object.hasOwn(node, key) ? node[key as string] : undefined;
    else return false;
    if (node === undefined) return false;
  }
  return true;
}

/** Freezes plain objects and arrays all the way down (not class instances such as `Secret`). */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
    Object.freeze(value);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

export function formatPath(path: readonly PathSegment[]): string {
  return path.map(String).join(".");
}
