import { defineConfig } from "vitest/config";

/**
 * The harness's own tests (bench/test/: validation, reuse rules, rendering) and the cache
 * policy baselines' tests (cache/**): no bench runs here. Sibling packages from source.
 */
const sourceConditions = ["@llm/source", "import", "node", "default"];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@llm/source"] } },
  test: {
    environment: "node",
    include: ["test/**/*.test.ts", "cache/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
