import type { ClientConfig } from "@llm/config";
import { ConfigError } from "@llm/core";

/**
 * The clients tried for `name`, in order: itself, then its fallbacks, then
 * theirs (depth first, each once). A name that is not configured or a cycle
 * is a `ConfigError` naming the chain.
 */
export function fallbackOrder(
  name: string,
  clients: Readonly<Record<string, ClientConfig>>,
): string[] {
  const order: string[] = [];
  const visit = (current: string, path: string[]) => {
    if (path.includes(current)) {
      throw new ConfigError(`Fallbacks form a cycle: ${[...path, current].join(" → ")}`, {
        issues: [
          { path: `clients.${path.at(-1)}.fallbacks`, message: `cycle back to "${current}"` },
        ],
      });
    }
    const config = clients[current];
    if (!config) {
      const from = path.at(-1);
      throw new ConfigError(
        `Client "${current}"${from ? ` (a fallback of "${from}")` : ""} is not configured; known clients: ${
          Object.keys(clients).sort().join(", ") || "none"
        }`,
        {
          issues: [
            {
              path: from ? `clients.${from}.fallbacks` : `clients.${current}`,
              message: "unknown client",
            },
          ],
        },
      );
    }
    if (!order.includes(current)) order.push(current);
    for (const next of config.fallbacks ?? []) visit(next, [...path, current]);
  };
  visit(name, []);
  return order;
}
