import { redactSecrets } from "@llm/core";
import type { PluginLogger } from "./plugin-types.js";

/** The default logger: one redacted line per message on stderr, prefixed with the plugin's name. */
export function consoleLogger(
  prefix: string,
  write: (line: string) => void = (l) => console.error(l),
): PluginLogger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const tail = fields ? ` ${safeStringify(fields)}` : "";
    write(redactSecrets(`[${prefix}] ${level}: ${message}${tail}`));
  };
  return { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return "[unserializable]";
  }
}
