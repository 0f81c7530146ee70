import { ContainerModule } from "inversify";
import { EmbeddingClientFactory } from "../embedding-client-factory.js";
import { LLMClientFactory } from "../llm-client-factory.js";
import { TOKENS } from "../tokens.js";

export function clientsModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.LLMClientFactory)
      .to(LLMClientFactory)
      .inSingletonScope()
      .onDeactivation((factory) => factory.dispose());
    bind(TOKENS.EmbeddingClientFactory)
      .to(EmbeddingClientFactory)
      .inSingletonScope()
      .onDeactivation(async (factory) => {
        await factory.flush();
        factory.dispose();
      });
  });
}
