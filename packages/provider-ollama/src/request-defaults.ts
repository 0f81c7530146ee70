import { ConfigError, type JsonValue } from "@llm/core";
import type { OllamaRequestDefaults } from "./ollama-chat-client.js";

const NUMBER_DEFAULTS = [
  "temperature",
  "topP",
  "topK",
  "maxTokens",
  "seed",
  "frequencyPenalty",
  "presencePenalty",
] as const;

type NumberDefault = (typeof NUMBER_DEFAULTS)[number];

/**
 * Validates `settings.defaults` once, at creation: they usually come from a
 * config file, where `temperature: "0.5"` is an easy mistake that the API would
 * only reject on the first call. Unknown keys and wrong types are one
 * `ConfigError` listing every problem.
 */
export function readDefaults(
  provider: string,
  defaults: Record<string, JsonValue>,
): OllamaRequestDefaults {
  const out: OllamaRequestDefaults = {};
  const issues: { path: string; message: string }[] = [];
  for (const [key, value] of Object.entries(defaults)) {
    if ((NUMBER_DEFAULTS as readonly string[]).includes(key)) {
      if (typeof value === "number" && Number.isFinite(value)) out[key as NumberDefault] = value;
      else issues.push({ path: `defaults.${key}`, message: "must be a number" });
    } else if (key === "stop") {
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
        out.stop = value as string[];
      } else issues.push({ path: "defaults.stop", message: "must be an array of strings" });
    } else {
      issues.push({
        path: `defaults.${key}`,
        message: `unknown default (known: ${[...NUMBER_DEFAULTS, "stop"].join(", ")})`,
      });
    }
  }
  if (issues.length > 0) {
    throw new ConfigError(`Invalid defaults for provider "${provider}"`, { provider, issues });
  }
  return out;
}
