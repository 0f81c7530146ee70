/**
 * A cheap 32-bit hash of a cache key, for the frequency sketch and the shadow LRU only
 * (never for identity: the regions' Maps decide identity). Keys are usually a namespace
 * prefix plus a 64-char SHA-256 hex digest, so hashing the first 12 characters (the
 * namespace), the last 16 (64 bits of digest) and the length captures nearly all the entropy
 * at a fraction of a full pass; short keys (ids, trace numbers) are hashed whole. A collision
 * only inflates a frequency estimate, which TinyLFU tolerates by design.
 */
const FULL_HASH_MAX_LENGTH = 32;
const TAIL_CHARS = 16;
const HEAD_CHARS = 12;

export function hashKey(key: string): number {
  const length = key.length;
  let h = length ^ 0x811c9dc5;
  if (length <= FULL_HASH_MAX_LENGTH) {
    for (let i = 0; i < length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  } else {
    // The head distinguishes namespaces that share a digest; the tail carries the digest.
    for (let i = 0; i < HEAD_CHARS; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    for (let i = length - TAIL_CHARS; i < length; i++) {
      h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
    }
  }
  // murmur3 finalizer: FNV's low bits are weak, and the sketch indexes with low bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
