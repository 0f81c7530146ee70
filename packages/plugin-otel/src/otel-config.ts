import type { StandardSchemaV1 } from "@llm/plugins";

export interface OtelPluginConfig {
  /** Record prompts and answers on spans. Off by default: they may hold personal data. */
  captureContent: boolean;
}

/** A hand-written Standard Schema: the plugin's one option does not justify a schema library. */
export const otelConfigSchema: StandardSchemaV1<OtelPluginConfig> = {
  "~standard": {
    version: 1,
    vendor: "@llm/plugin-otel",
    validate(value) {
      if (value === undefined || value === null) return { value: { captureContent: false } };
      if (typeof value !== "object" || Array.isArray(value)) {
        return { issues: [{ message: "expected an object" }] };
      }
      const { captureContent = false, ...rest } = value as Record<string, unknown>;
      const unknownKeys = Object.keys(rest);
      if (unknownKeys.length > 0) {
        return { issues: unknownKeys.map((key) => ({ message: "unknown option", path: [key] })) };
      }
      if (typeof captureContent !== "boolean") {
        return { issues: [{ message: "expected a boolean", path: ["captureContent"] }] };
      }
      return { value: { captureContent } };
    },
  },
};
