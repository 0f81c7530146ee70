import { mergeConfig } from "vitest/config";
import { definePackageConfig } from "../../vitest.shared.ts";

export default mergeConfig(
  definePackageConfig({
    // The conformance suite is test code (describe/it blocks): it runs in the
    // provider packages that call describeProvider() — testkit cannot depend on any of them.
    coverageExclude: ["src/conformance/**", "src/vitest.ts"],
  }),
  {
    test: {
      // @anthropic-ai/sdk imports @opentelemetry/api, whose "module" build (picked by the shared
      // resolve conditions) uses extensionless imports Node cannot load: let Vite transform it.
      server: { deps: { inline: [/@anthropic-ai\/sdk/, /@opentelemetry\/api/] } },
    },
  },
);
