import { Hooks } from "@llm/hooks";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function hooksModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.Hooks)
      .toDynamicValue(
        (ctx) => new Hooks({ defaultTimeoutMs: ctx.get(TOKENS.Config).hooks.timeoutMs }),
      )
      .inSingletonScope();
  });
}
