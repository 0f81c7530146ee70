import { defineConfig } from "vitest/config";

/** The harness's own tests (bench/test/): validation, reuse rules, rendering. No bench runs here. */
export default defineConfig({
  test: {
    environment: "node",
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
  },
});
