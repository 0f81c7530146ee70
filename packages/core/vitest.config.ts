import { definePackageConfig } from "../../vitest.shared.ts";

export default definePackageConfig({
  // Test-only clients and helpers: exercised by the tests, not part of the package.
  coverageExclude: ["src/test-support/**"],
});
