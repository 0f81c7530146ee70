import { PluginManager } from "@llm/plugins";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function pluginsModule(conditions: readonly string[]): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.PluginManager)
      .toDynamicValue(
        (ctx) =>
          new PluginManager({
            hooks: ctx.get(TOKENS.Hooks),
            registry: ctx.get(TOKENS.ProviderRegistry),
            baseDir: ctx.get(TOKENS.BaseDir),
            conditions: [...conditions],
            hookTimeoutMs: ctx.get(TOKENS.Config).hooks.timeoutMs,
          }),
      )
      .inSingletonScope()
      .onDeactivation((plugins) => plugins.stop());
  });
}
