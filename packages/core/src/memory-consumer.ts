/**
 * Something that holds memory it can give back: a cache, a stream buffer.
 * Defined here so `@llm/cache` can obey `@llm/memory` without depending on it.
 */
export interface MemoryConsumer {
  readonly name: string;
  /** Lower is shrunk first under pressure. */
  readonly priority: number;
  /** Bytes currently held, as the consumer accounts them. */
  bytes(): number;
  /** Release at least `bytes` if possible; returns the bytes actually released. */
  shrink(bytes: number): number | Promise<number>;
}

export interface MemoryBudget {
  /** Registers a consumer; the returned function unregisters it. */
  register(consumer: MemoryConsumer): () => void;
}
