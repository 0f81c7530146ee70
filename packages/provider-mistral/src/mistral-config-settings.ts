import type { JsonSchema } from "@llm/core";
import type { MistralProviderSettings } from "./mistral-provider.js";

/** What `clients.<name>.providerSettings` may hold for `provider: mistral`, once validated. */
export interface MistralConfigSettings {
  /** `safe_prompt: true` on every chat request (Mistral prepends its safety prompt). */
  safePrompt?: boolean;
}

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    safePrompt: { type: "boolean", description: "send safe_prompt on every chat request" },
  },
};

/**
 * Mistral's settings a config file can give (`@llm/di` reads this export by
 * name): the JSON Schema `@llm/config` validates `providerSettings` with, and
 * the mapping to `createMistral`'s settings. `safePrompt` changes the answer,
 * so it is part of the client's cache scope (as when given in code).
 */
export const configSettings = {
  type: "mistral",
  schema,
  toProviderSettings: (settings: MistralConfigSettings): Partial<MistralProviderSettings> => ({
    ...settings,
  }),
};
