import { defineConfig } from "vitest/config";

/**
 * Every package as a vitest project, for running tests across the tree from
 * the root in one process (`npx vitest --project @llm/cache`, an editor's test
 * explorer). CI and `pnpm test` run each package on its own through turbo,
 * which also enforces each package's coverage threshold.
 */
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tests/*"],
  },
});
