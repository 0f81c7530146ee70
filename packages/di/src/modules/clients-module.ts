import { ContainerModule } from "inversify";
import { LLMClientFactory } from "../llm-client-factory.js";
import { TOKENS } from "../tokens.js";

export function clientsModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.LLMClientFactory)
      .to(LLMClientFactory)
      .inSingletonScope()
      .onDeactivation((factory) => factory.dispose());
  });
}
