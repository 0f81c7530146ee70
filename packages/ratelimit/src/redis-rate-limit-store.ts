import type { Cluster, Redis } from "ioredis";
import type { GcraOperation, GcraOutcome } from "./gcra.js";
import { decodeGcraReply } from "./gcra-reply.js";
import type { RateLimitStore } from "./rate-limit-store.js";
import { GCRA_SCRIPT, GCRA_SCRIPT_SHA } from "./redis-script.js";

export interface RedisRateLimitStoreOptions {
  /** Prefix of every key. Default `"llm:rl"`. */
  prefix?: string;
}

/**
 * Budgets shared by every process that uses the same Redis (or Redis Cluster)
 * and key: one Lua script per operation (`redis-script.ts`), run by its SHA
 * (sent in full once per server, when Redis answers NOSCRIPT). A budget's two
 * keys share a hash tag, `{prefix:key}`, so they live in one Cluster slot.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: Redis | Cluster;
  readonly #prefix: string;

  constructor(redis: Redis | Cluster, options: RedisRateLimitStoreOptions = {}) {
    this.#redis = redis;
    this.#prefix = options.prefix ?? "llm:rl";
  }

  /** The Redis keys of budget `key` (requests TAT, tokens TAT). */
  keysOf(key: string): [string, string] {
    const tag = `{${this.#prefix}:${key}}`;
    return [`${tag}:r`, `${tag}:t`];
  }

  async apply(key: string, operation: GcraOperation): Promise<GcraOutcome> {
    const arg =
      operation.kind === "take"
        ? operation.maxWaitMs
        : operation.kind === "floor"
          ? operation.afterMs
          : 0;
    const args: (string | number)[] = [...this.keysOf(key), operation.kind, arg];
    for (let i = 0; i < 2; i++) {
      const dim = operation.dims[i];
      const rate = dim?.rate;
      args.push(rate?.periodMs ?? 0, rate?.limit ?? 0, dim?.units ?? 0);
    }
    return decodeGcraReply(await this.#run(args));
  }

  async #run(args: (string | number)[]): Promise<unknown> {
    try {
      return await this.#redis.evalsha(GCRA_SCRIPT_SHA, 2, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return this.#redis.eval(GCRA_SCRIPT, 2, ...args);
    }
  }
}
