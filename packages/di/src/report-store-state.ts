import type { Hooks } from "@llm/hooks";
import { consoleLogger, type PluginLogger } from "@llm/plugins";

/**
 * Makes an L2 outage visible: each up / down transition of the store goes to
 * the `onCacheStoreState` hook and one log line (a warning when it goes down,
 * so an operator sees that answers now come from L1 and upstream only). The
 * store reports transitions, not failed commands, so an outage is one line,
 * not a storm.
 */
export function reportStoreState(
  hooks: Hooks,
  store: string,
  logger: PluginLogger = consoleLogger("llm-cache"),
): (change: { state: "up" | "down"; error?: Error }) => void {
  return ({ state, error }) => {
    if (state === "down") {
      logger.warn(`cache store "${store}" is down; serving from L1 and upstream`, {
        error: error?.message,
      });
    } else {
      logger.info(`cache store "${store}" is back up`);
    }
    hooks.notify("onCacheStoreState", error ? { store, state, error } : { store, state });
  };
}
