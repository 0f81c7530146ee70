import type { JsonSchema, Secret } from "@llm/core";
import type { BedrockProviderSettings } from "./bedrock-provider.js";

/** What `clients.<name>.providerSettings` may hold for `provider: bedrock`, once validated. */
export interface BedrockConfigSettings {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: Secret;
  sessionToken?: Secret;
  profile?: string;
}

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    region: {
      type: "string",
      pattern: "^[a-z]{2}(?:-[a-z]+)+-\\d{1,2}$",
      description: "an AWS region name such as us-east-1",
    },
    accessKeyId: { type: "string", minLength: 1, maxLength: 128 },
    // writeOnly: credentials — kept as `Secret`s, redacted wherever the config is printed.
    secretAccessKey: { type: "string", minLength: 1, maxLength: 1024, writeOnly: true },
    sessionToken: { type: "string", minLength: 1, maxLength: 8192, writeOnly: true },
    profile: { type: "string", minLength: 1, maxLength: 256 },
  },
};

/**
 * Bedrock's settings a config file can give (`@llm/di` reads this export by
 * name): the JSON Schema `@llm/config` validates `providerSettings` with, and
 * the mapping to `createBedrock`'s settings. Static credentials only — a
 * credential provider function stays in code. The region is part of the
 * client's cache scope; the credentials never are (the access key id only
 * names the account in the `scope: credential` tag).
 */
export const configSettings = {
  type: "bedrock",
  schema,
  toProviderSettings: (settings: BedrockConfigSettings): Partial<BedrockProviderSettings> => ({
    ...settings,
  }),
};
