import { fileURLToPath } from "node:url";
import { mergeConfig } from "vitest/config";
import { definePackageConfig } from "../../vitest.shared.ts";

// The README examples import this package by its published name.
export default mergeConfig(definePackageConfig(), {
  resolve: { alias: { "@llm/ai-sdk": fileURLToPath(new URL("./src/index.ts", import.meta.url)) } },
});
