import { isSecret, isSecretURL } from "@llm/core";
import { z } from "zod";
import { isPlainObject } from "./merge.js";
import { secretizeUnknown } from "./secrets.js";

/**
 * `clients.<name>.providerSettings`: what only one provider understands
 * (Bedrock's `region`, Azure's `apiVersion`, Mistral's `safePrompt`, …).
 *
 * The config cannot know every provider, so here it is checked only as
 * bounded plain data — JSON-like values, no functions (a token provider stays
 * in code) — and its credential-named strings (`secretAccessKey`,
 * `sessionToken`, …) become `Secret`s, redacted wherever the config is
 * printed. `@llm/di` validates it against the provider package's own schema
 * when it builds the client (see `checkProviderSettings`).
 */

/** Most keys, counted over every nested object: a provider's settings are a handful. */
export const MAX_PROVIDER_SETTINGS_KEYS = 64;
/** Longest key. */
export const MAX_PROVIDER_SETTINGS_KEY_LENGTH = 128;
/** Longest string value (an AWS session token is about 1–2 KB). */
export const MAX_PROVIDER_SETTINGS_STRING_LENGTH = 16 * 1024;
/** Deepest nesting below `providerSettings`. */
export const MAX_PROVIDER_SETTINGS_DEPTH = 4;

type Path = (string | number)[];

export const providerSettingsSchema = z
  .record(z.string(), z.unknown())
  .superRefine((settings, ctx) => {
    const report = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });
    let keys = 0;
    const walk = (value: unknown, path: Path, depth: number): void => {
      if (depth > MAX_PROVIDER_SETTINGS_DEPTH) {
        report(path, `is nested deeper than ${MAX_PROVIDER_SETTINGS_DEPTH} levels`);
        return;
      }
      if (typeof value === "string") {
        if (value.length > MAX_PROVIDER_SETTINGS_STRING_LENGTH)
          report(path, `is longer than ${MAX_PROVIDER_SETTINGS_STRING_LENGTH} characters`);
        return;
      }
      if (
        value === null ||
        typeof value === "number" ||
        typeof value === "boolean" ||
        isSecret(value) ||
        isSecretURL(value)
      )
        return;
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) walk(item, [...path, index], depth + 1);
        return;
      }
      if (!isPlainObject(value)) {
        report(path, "must be plain data (text, numbers, booleans, lists, mappings)");
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        keys++;
        if (key.length > MAX_PROVIDER_SETTINGS_KEY_LENGTH) {
          report(path, `has a key longer than ${MAX_PROVIDER_SETTINGS_KEY_LENGTH} characters`);
          continue;
        }
        walk(item, [...path, key], depth + 1);
      }
    };
    walk(settings, [], 0);
    if (keys > MAX_PROVIDER_SETTINGS_KEYS)
      report([], `has ${keys} keys, more than ${MAX_PROVIDER_SETTINGS_KEYS}`);
  })
  .transform((settings) => secretizeUnknown(settings) as Record<string, unknown>);

export type ProviderSettingsConfig = z.output<typeof providerSettingsSchema>;
