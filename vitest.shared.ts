import { defineConfig } from "vitest/config";

/**
 * Tests import sibling packages from their TypeScript sources through the
 * `@llm/source` export condition, so a test never runs against a stale `dist/`.
 */
const sourceConditions = ["@llm/source", "import", "node", "default"];

export interface PackageTestOptions {
  /** Milliseconds a single test may take (real sockets, real Redis). */
  testTimeout?: number;
  /** Files excluded from coverage besides tests and fixtures. */
  coverageExclude?: string[];
  /** Run test files one at a time (tests that share an external service). */
  serial?: boolean;
}

export function definePackageConfig(options: PackageTestOptions = {}) {
  return defineConfig({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: ["@llm/source"] } },
    test: {
      environment: "node",
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 20_000,
      fileParallelism: !options.serial,
      coverage: {
        provider: "v8",
        include: ["src/**/*.ts"],
        exclude: [
          "src/**/*.test.ts",
          "src/**/__fixtures__/**",
          "src/**/*.d.ts",
          ...(options.coverageExclude ?? []),
        ],
        reporter: ["text-summary", "json-summary"],
        thresholds: { lines: 90 },
      },
    },
  });
}
