import { mergeConfig } from "vitest/config";
import { definePackageConfig } from "../../vitest.shared.ts";

/** One example at a time: each is its own Node process, and CI has two cores. */
export default mergeConfig(definePackageConfig({ testTimeout: 90_000, serial: true }), {
  test: { include: ["*.test.ts"], coverage: { enabled: false } },
});
