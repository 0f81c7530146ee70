import { mergeConfig } from "vitest/config";
import { definePackageConfig } from "../../vitest.shared.ts";

export default mergeConfig(definePackageConfig(), {
  test: {
    // @anthropic-ai/sdk imports @opentelemetry/api, whose "module" build (picked by the shared
    // resolve conditions) uses extensionless imports Node cannot load: let Vite transform it.
    server: { deps: { inline: [/@anthropic-ai\/sdk/, /@opentelemetry\/api/] } },
  },
});
