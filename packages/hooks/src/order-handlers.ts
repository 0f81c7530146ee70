import { HookOrderError } from "./hook-errors.js";

export interface Orderable {
  readonly name: string;
  readonly priority: number;
  /** Registration sequence number: the final tie-breaker, so equal priorities keep insertion order. */
  readonly seq: number;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/**
 * Orders handlers: `before` / `after` constraints first, then higher
 * priority, then registration order. Constraints naming a handler that is not
 * registered are ignored (plugins may be absent). Runs at registration time,
 * never on dispatch, so n² is fine.
 */
export function orderHandlers<T extends Orderable>(hook: string, handlers: readonly T[]): T[] {
  if (handlers.length < 2) return [...handlers];
  const byName = new Map<string, T[]>();
  for (const h of handlers) {
    const list = byName.get(h.name);
    if (list) list.push(h);
    else byName.set(h.name, [h]);
  }
  // edges: a → b means a runs before b
  const incoming = new Map<T, Set<T>>(handlers.map((h) => [h, new Set<T>()]));
  const addEdge = (a: T, b: T) => {
    if (a !== b) incoming.get(b)?.add(a);
  };
  for (const h of handlers) {
    for (const name of h.before) for (const other of byName.get(name) ?? []) addEdge(h, other);
    for (const name of h.after) for (const other of byName.get(name) ?? []) addEdge(other, h);
  }

  const ordered: T[] = [];
  const remaining = new Set(handlers);
  while (remaining.size > 0) {
    let next: T | undefined;
    for (const h of remaining) {
      const blocked = [...(incoming.get(h) ?? [])].some((dep) => remaining.has(dep));
      if (blocked) continue;
      if (
        !next ||
        h.priority > next.priority ||
        (h.priority === next.priority && h.seq < next.seq)
      ) {
        next = h;
      }
    }
    if (!next)
      throw new HookOrderError(
        hook,
        [...remaining].map((h) => h.name),
      );
    ordered.push(next);
    remaining.delete(next);
  }
  return ordered;
}
