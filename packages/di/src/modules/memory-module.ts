import { MemoryManager } from "@llm/memory";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function memoryModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.MemoryManager)
      .toDynamicValue((ctx) => new MemoryManager(ctx.get(TOKENS.Config).memory))
      .inSingletonScope()
      .onDeactivation((memory) => memory.close());
  });
}
