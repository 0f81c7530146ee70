export type { OtelPluginConfig } from "./otel-config.js";
export { createOtelPlugin, default, type OtelPluginOptions, plugin } from "./otel-plugin.js";
