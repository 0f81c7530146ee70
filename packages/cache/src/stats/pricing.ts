import type { Usage } from "@llm/core";

/** Price of one model, in any currency unit you like, per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
  /** Price of input tokens the provider served from its own prompt cache; default `inputPerMillion`. */
  cachedInputPerMillion?: number;
}

/** Model id → price. A `"*"` entry prices every model not listed. */
export type PricingTable = Record<string, ModelPrice>;

/** What `usage` costs at `model`'s price; 0 when the model has no price. */
export function costOf(usage: Usage, model: string, pricing: PricingTable | undefined): number {
  const price = pricing?.[model] ?? pricing?.["*"];
  if (price === undefined) return 0;
  const cached = usage.cachedInputTokens ?? 0;
  const fresh = Math.max(0, usage.inputTokens - cached);
  return (
    (fresh * price.inputPerMillion +
      cached * (price.cachedInputPerMillion ?? price.inputPerMillion) +
      usage.outputTokens * price.outputPerMillion) /
    1_000_000
  );
}
