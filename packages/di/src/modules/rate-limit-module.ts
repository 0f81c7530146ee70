import { ContainerModule } from "inversify";
import type { RateLimitStoreHandle } from "../create-rate-limit-store.js";
import { TOKENS } from "../tokens.js";

/** `handle` is created beforehand (a Redis store imports ioredis from the app). */
export function rateLimitModule(handle: RateLimitStoreHandle): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.RateLimitStore)
      .toConstantValue(handle.store)
      .onDeactivation(() => handle.close());
  });
}
