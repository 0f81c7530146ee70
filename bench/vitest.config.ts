import { defineConfig } from "vitest/config";

/** Tests of the bench's own building blocks (policy baselines); sibling packages from source. */
const sourceConditions = ["@llm/source", "import", "node", "default"];

export default defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@llm/source"] } },
  test: { environment: "node", include: ["cache/**/*.test.ts"], testTimeout: 60_000 },
});
