import { createHmac, timingSafeEqual } from "node:crypto";
import { ConfigError } from "@llm/core";

/** A secret as given: text (at least 16 characters) or raw bytes (at least 16). */
export type IntegritySecret = string | Uint8Array;

export interface EntryIntegrityOptions {
  /** Signs every entry written and verifies every entry read. */
  secret: IntegritySecret;
  /**
   * Secrets that signed entries still in the store, accepted for reading
   * only. Rotation: move the old secret here, deploy the new one as `secret`,
   * and drop the old one once the entries it signed have expired.
   */
  previousSecrets?: readonly IntegritySecret[];
}

/** Stored form of a signed entry: `h1.<base64url HMAC-SHA256>.<envelope JSON>`. */
const PREFIX = "h1.";
const MAC_CHARS = 43; // 32 bytes in unpadded base64url
const BODY_AT = PREFIX.length + MAC_CHARS + 1;
const MIN_SECRET = 16;

/**
 * HMAC-SHA256 signatures of L2 entries, so a process that can write to a
 * shared store (a Redis another team also uses, a copied SQLite file) cannot
 * plant answers. The MAC covers the cache key and the exact stored text —
 * the bytes written are the bytes signed, nothing is re-serialised — so an
 * entry can be neither altered nor moved to another key.
 */
export class EntryIntegrity {
  readonly #keys: Buffer[];

  constructor(options: EntryIntegrityOptions) {
    const all = [options.secret, ...(options.previousSecrets ?? [])];
    this.#keys = all.map((secret, i) => {
      const bytes = typeof secret === "string" ? Buffer.from(secret, "utf8") : Buffer.from(secret);
      if (bytes.length < MIN_SECRET) {
        const where =
          i === 0 ? "cache.integrity.secret" : `cache.integrity.previousSecrets[${i - 1}]`;
        throw new ConfigError(`The cache integrity secret is too short`, {
          issues: [{ path: where, message: `must be at least ${MIN_SECRET} bytes` }],
        });
      }
      return bytes;
    });
  }

  /** The text to store for `body` under `key`. */
  sign(key: string, body: string): string {
    return `${PREFIX}${mac(this.#keys[0]!, key, body).toString("base64url")}.${body}`;
  }

  /**
   * The envelope text of a stored entry whose signature verifies under the
   * current or a previous secret; otherwise a reason (never the entry).
   */
  open(key: string, stored: string): { body: string } | { problem: string } {
    if (!stored.startsWith(PREFIX)) return { problem: "entry is not signed" };
    if (stored.length < BODY_AT || stored.charCodeAt(BODY_AT - 1) !== 0x2e /* . */)
      return { problem: "entry signature is malformed" };
    const given = Buffer.from(stored.slice(PREFIX.length, BODY_AT - 1), "base64url");
    if (given.length !== 32) return { problem: "entry signature is malformed" };
    const body = stored.slice(BODY_AT);
    for (const secret of this.#keys) {
      if (timingSafeEqual(given, mac(secret, key, body))) return { body };
    }
    return { problem: "entry signature does not verify" };
  }
}

/** Strips a signature without checking it (integrity off, entries signed by a peer that has it on). */
export function unsignedBody(stored: string): string {
  return stored.startsWith(PREFIX) && stored.charCodeAt(BODY_AT - 1) === 0x2e
    ? stored.slice(BODY_AT)
    : stored;
}

function mac(secret: Buffer, key: string, body: string): Buffer {
  // The key's length first, so no (key, body) pair can be shifted into another.
  return createHmac("sha256", secret).update(`${key.length}:${key}\n`).update(body).digest();
}
