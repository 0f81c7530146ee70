import type { MemoryBudget } from "@llm/core";

/** What a cache offers a memory budget: its accounted bytes, and a way to release some. */
export interface ShrinkableCache {
  readonly bytes: number;
  shrink(bytes: number): number;
}

/**
 * Registers a cache as a MemoryConsumer, so memory pressure can shrink it (lower priority
 * is shrunk first). Returns the function that unregisters it.
 */
export function registerWithBudget(
  budget: MemoryBudget,
  cache: ShrinkableCache,
  options: { name?: string | undefined; priority?: number | undefined },
): () => void {
  return budget.register({
    name: options.name ?? "smart-cache",
    priority: options.priority ?? 0,
    bytes: () => cache.bytes,
    shrink: (bytes: number) => cache.shrink(bytes),
  });
}
