import type { ProviderRegistry } from "@llm/core";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function providersModule(registry: ProviderRegistry): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ProviderRegistry).toConstantValue(registry);
  });
}
