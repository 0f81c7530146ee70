import { ConfigError, LLMError } from "@llm/core";

export type PluginErrorKind =
  | "not-found"
  | "invalid-module"
  | "duplicate"
  | "missing-dependency"
  | "cycle"
  | "api-version"
  | "config"
  | "setup"
  | "name-mismatch";

/** A plugin could not be loaded or ordered. `plugins` names every plugin involved. */
export class PluginLoadError extends ConfigError {
  override readonly code = "PLUGIN_LOAD";
  readonly kind: PluginErrorKind;
  readonly plugins: string[];
  constructor(kind: PluginErrorKind, plugins: string[], message: string, cause?: unknown) {
    super(message, {
      cause,
      issues: plugins.map((p) => ({ path: `plugins.${p}`, message: kind })),
    });
    this.kind = kind;
    this.plugins = plugins;
  }
}

/** A plugin threw during setup, start, stop or teardown. */
export class PluginLifecycleError extends LLMError {
  override readonly code = "PLUGIN_LIFECYCLE";
  readonly plugin: string;
  readonly phase: "setup" | "start" | "stop" | "teardown";
  constructor(plugin: string, phase: PluginLifecycleError["phase"], cause: unknown) {
    super(
      `Plugin "${plugin}" failed in ${phase}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.plugin = plugin;
    this.phase = phase;
  }
}
