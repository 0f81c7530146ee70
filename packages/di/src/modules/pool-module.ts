import { ConnectionPool } from "@llm/pool";
import { ContainerModule } from "inversify";
import { TOKENS } from "../tokens.js";

export function poolModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.ConnectionPool)
      .toDynamicValue((ctx) => new ConnectionPool(ctx.get(TOKENS.Config).pool))
      .inSingletonScope()
      // Bounded: in-flight calls get `pool.closeTimeoutMs` (default 5 s), then fail with
      // PoolClosedError, so a hung upstream cannot hold `dispose()`.
      .onDeactivation((pool) => pool.close({ timeoutMs: pool.options.closeTimeoutMs }));
    bind(TOKENS.Transport).toDynamicValue((ctx) => ctx.get(TOKENS.ConnectionPool));
  });
}
