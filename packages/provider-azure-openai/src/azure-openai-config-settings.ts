import type { JsonSchema } from "@llm/core";
import { OPENAI_COMPATIBILITY_SCHEMA, type OpenAICompatibility } from "@llm/provider-openai";
import type { AzureOpenAIProviderSettings } from "./azure-openai-provider.js";
import type { AzureOpenAISurface } from "./azure-openai-url.js";

/** What `clients.<name>.providerSettings` may hold for `provider: azure-openai`, once validated. */
export interface AzureOpenAIConfigSettings {
  endpoint?: string;
  resourceName?: string;
  deployment?: string;
  apiVersion?: string;
  apiSurface?: AzureOpenAISurface;
  compatibility?: OpenAICompatibility;
}

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    endpoint: { type: "string", minLength: 1, maxLength: 2048 },
    resourceName: {
      type: "string",
      pattern: "^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$",
      description: "an Azure resource name (letters, digits, hyphens)",
    },
    deployment: { type: "string", minLength: 1, maxLength: 256 },
    // Goes into the query string: dated (`2024-10-21`, `2025-01-01-preview`) or named (`preview`).
    apiVersion: {
      type: "string",
      pattern: "^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$",
      description: "an api-version such as 2024-10-21",
    },
    apiSurface: { enum: ["deployments", "v1"] },
    compatibility: OPENAI_COMPATIBILITY_SCHEMA,
  },
};

/**
 * Azure OpenAI's settings a config file can give (`@llm/di` reads this export
 * by name): the JSON Schema `@llm/config` validates `providerSettings` with,
 * and the mapping to `createAzureOpenAI`'s settings. Endpoint, deployment and
 * api-version all end up in the request URL, and so in the client's cache
 * scope. Entra ID (`azureADTokenProvider`) is a function: code only.
 */
export const configSettings = {
  type: "azure-openai",
  schema,
  toProviderSettings: (
    settings: AzureOpenAIConfigSettings,
  ): Partial<AzureOpenAIProviderSettings> => ({ ...settings }),
};
