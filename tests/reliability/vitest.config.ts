import { mergeConfig } from "vitest/config";
import { definePackageConfig } from "../../vitest.shared.ts";

/**
 * The suite runs files one at a time: the soak measures the heap of its own
 * worker, and the Redis and config tests start child processes and watchers
 * that would only add noise to each other on a 2-core CI machine.
 * `--expose-gc` lets the soak force a collection before it reads the heap.
 */
export default mergeConfig(definePackageConfig({ testTimeout: 180_000, serial: true }), {
  test: {
    include: ["*.test.ts"],
    hookTimeout: 60_000,
    execArgv: ["--expose-gc"],
    coverage: { enabled: false },
  },
});
