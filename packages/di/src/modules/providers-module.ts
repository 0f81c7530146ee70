import type { ProviderRegistry } from "@llm/core";
import { ContainerModule } from "inversify";
import { ProviderConfigSettingsCatalog } from "../provider-config-settings.js";
import { TOKENS } from "../tokens.js";

export function providersModule(
  registry: ProviderRegistry,
  configSettings: ProviderConfigSettingsCatalog = new ProviderConfigSettingsCatalog(),
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ProviderRegistry).toConstantValue(registry);
    bind(TOKENS.ProviderConfigSettings).toConstantValue(configSettings);
  });
}
