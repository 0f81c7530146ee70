import { createHash, randomBytes } from "node:crypto";
import { type CacheScope, ConfigError, type LLMClient, revealSecret, type Secret } from "@llm/core";

/**
 * What a cache key is scoped to, beyond the request and the namespace:
 * - `"instance"` (default): the provider instance that would answer — its
 *   `cacheScope.instance` (endpoint, account/project/deployment selectors).
 *   Two clients of one instance share answers whatever their keys.
 * - `"credential"`: also a keyed hash (HMAC-SHA256 under `scopeSecret`) of
 *   the credential the client sends, so a wrong or revoked key is never
 *   answered from the cache. A client without a `cacheScope` is then not
 *   cached at all: nothing proves who is asking.
 */
export type CacheScopeMode = "instance" | "credential";

export interface KeyScopeOptions {
  scope?: CacheScopeMode;
  /**
   * Names the provider instance explicitly, replacing what the client's
   * `cacheScope.instance` derives from its endpoint and headers: for one
   * account reachable at several URLs (regional endpoints, a proxy or a local
   * stand-in on a changing port), or a client with no `cacheScope`. Whoever
   * shares a name shares answers; the credential tag still applies.
   */
  instance?: string;
  /**
   * HMAC key of the credential tag under `scope: "credential"`. Processes
   * that share an L2 store (Redis) must share this secret to share entries.
   * Unset: a random key per process — safe, but entries are then private to
   * the process (an L2 entry written by another process or an earlier run is
   * never hit).
   */
  scopeSecret?: string | Secret;
}

/** Shortest `scopeSecret` accepted: an HMAC key guessable by brute force would make the tag a plain hash. */
export const MIN_SCOPE_SECRET_LENGTH = 16;

let processSecret: Buffer | undefined;

/**
 * The `scope` text of a client's keys under `options`: a SHA-256 (base64url)
 * of the client's `cacheScope.instance` — and, under credential scope, of its
 * credential tag. Computed once per `CacheScope` object (a client build) and
 * memoised, so a call pays a WeakMap lookup and hashes 43 fixed characters,
 * whatever the length of the instance text; never an HMAC. `undefined` when
 * the client has no scope.
 */
export function keyScope(
  options: KeyScopeOptions,
): (client: Pick<LLMClient, "cacheScope">) => string | undefined {
  const secret = options.scope === "credential" ? hmacKey(options.scopeSecret) : undefined;
  const named = options.instance;
  const memo = new WeakMap<CacheScope, string>();
  const namedOnly = named === undefined ? undefined : digest(named);
  return (client) => {
    const scope = client.cacheScope;
    if (scope === undefined) return namedOnly;
    let text = memo.get(scope);
    if (text === undefined) {
      const instance = named ?? scope.instance;
      text = digest(
        secret === undefined ? instance : `${instance}\ncredential=${scope.credentialTag(secret)}`,
      );
      memo.set(scope, text);
    }
    return text;
  };
}

const digest = (identity: string): string =>
  createHash("sha256").update(identity).digest("base64url");

function hmacKey(configured: string | Secret | undefined): string | Buffer {
  const value = revealSecret(configured);
  if (value === undefined || value === "") {
    processSecret ??= randomBytes(32);
    return processSecret;
  }
  if (value.length < MIN_SCOPE_SECRET_LENGTH) {
    throw new ConfigError("cache scopeSecret is too short", {
      issues: [
        {
          path: "scopeSecret",
          message: `needs at least ${MIN_SCOPE_SECRET_LENGTH} characters, got ${value.length}`,
        },
      ],
    });
  }
  return value;
}
