import type { ConfigManager } from "@llm/config";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function configModule(manager: ConfigManager, baseDir: string): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ConfigManager).toConstantValue(manager);
    // Transient on purpose: every resolution sees the latest hot-reloaded snapshot.
    bind(TOKENS.Config).toDynamicValue(() => manager.get());
    bind(TOKENS.BaseDir).toConstantValue(baseDir);
  });
}
