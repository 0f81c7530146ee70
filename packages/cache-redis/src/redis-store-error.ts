import { LLMError, type LLMErrorOptions } from "@llm/core";
import { ReplyError } from "ioredis";

/**
 * A RedisStore operation failed. `operation` names it (`get`, `set`,
 * `deleteByTag`, …); `cause` holds ioredis's own error. `retryable` is true
 * for the failures a moment later may not repeat: no connection, a timeout,
 * or a server in transition (a Sentinel failover's demoted master answering
 * READONLY, a replica still LOADING, a cluster slot moving).
 */
export class RedisStoreError extends LLMError {
  override readonly code: string = "REDIS_STORE";
  readonly operation: string;
  constructor(operation: string, message: string, options: LLMErrorOptions = {}) {
    super(message, options);
    this.operation = operation;
  }
}

/** Reply prefixes of a server that cannot serve the command right now, but will. */
const TRANSIENT_REPLIES = /^(READONLY|LOADING|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MOVED|ASK|BUSY)\b/;

/** ioredis's error → a `RedisStoreError` naming the operation (already one: unchanged). */
export function toRedisStoreError(operation: string, error: unknown): RedisStoreError {
  if (error instanceof RedisStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // ioredis's ReplyError is a server's answer; anything else is the connection's doing.
  const isReply = error instanceof (ReplyError as new () => Error);
  const retryable = !isReply || TRANSIENT_REPLIES.test(message);
  return new RedisStoreError(operation, `RedisStore ${operation} failed: ${message}`, {
    cause: error,
    retryable,
  });
}
