import { mergeConfig } from "vitest/config";
import { definePackageConfig } from "../../vitest.shared.ts";

// The end-to-end tests run the real entry point as child processes, one at a time.
export default mergeConfig(definePackageConfig({ testTimeout: 120_000, serial: true }), {
  test: { coverage: { exclude: ["src/main.ts", "scripts/**"] } },
});
