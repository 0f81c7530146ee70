import { ConnectionPool } from "@llm/pool";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function poolModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ConnectionPool)
      .toDynamicValue((ctx) => new ConnectionPool(ctx.get(TOKENS.Config).pool))
      .inSingletonScope()
      .onDeactivation((pool) => pool.close());
    bind(TOKENS.Transport).toDynamicValue((ctx) => ctx.get(TOKENS.ConnectionPool));
  });
}
