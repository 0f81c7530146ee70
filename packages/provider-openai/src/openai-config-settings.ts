import type { JsonSchema } from "@llm/core";
import type { OpenAICompatibility, OpenAIProviderSettings } from "./openai-provider.js";

/** What `clients.<name>.providerSettings` may hold for `provider: openai`, once validated. */
export interface OpenAIConfigSettings {
  organization?: string;
  project?: string;
  name?: string;
  compatibility?: OpenAICompatibility;
}

/** JSON Schema of `compatibility` (`OpenAICompatibility`), shared with OpenAI-compatible providers' settings. */
export const OPENAI_COMPATIBILITY_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    streamOptions: { type: "boolean" },
    maxTokensField: { enum: ["max_tokens", "max_completion_tokens"] },
  },
};

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    organization: { type: "string", minLength: 1, maxLength: 256 },
    project: { type: "string", minLength: 1, maxLength: 256 },
    name: { type: "string", minLength: 1, maxLength: 64 },
    compatibility: OPENAI_COMPATIBILITY_SCHEMA,
  },
};

/**
 * OpenAI's settings a config file can give (`@llm/di` reads this export by
 * name): the JSON Schema `@llm/config` validates `providerSettings` with, and
 * the mapping to `createOpenAI`'s settings. `organization` and `project` go
 * out as headers that select the account, so they are part of the client's
 * cache scope.
 */
export const configSettings = {
  type: "openai",
  schema,
  toProviderSettings: (settings: OpenAIConfigSettings): Partial<OpenAIProviderSettings> => ({
    ...settings,
  }),
};
