/**
 * A 30-bit hash of a whole cache key, for the frequency sketch and the shadow LRU only (never
 * for identity: the regions' Maps decide identity). Every character counts: keys built from
 * prompt templates share long heads and tails, and hashing only those (as an earlier version
 * did) merged thousands of distinct prompts into one frequency count.
 *
 * Two paths:
 * - a key that ends in a 64-char hex digest (SHA-256, optionally after a `namespace:` prefix)
 *   already carries well-mixed bits: its first 8 digest characters are read as 32 bits and
 *   mixed with a hash of the prefix, so the common request key costs a validation pass, not
 *   a multiply per character;
 * - any other key is hashed whole, FNV-1a style over pairs of UTF-16 code units (half the
 *   multiply chain of one unit at a time), then finished with murmur3's avalanche.
 */
const DIGEST_LENGTH = 64;
const DIGEST_BITS_CHARS = 8;

/**
 * Hashes lie in [0, HASH_RANGE): 30 bits, so a hash is a V8 small integer and an entry stores
 * it unboxed (a 32-bit value above 2^30 would be a separate heap number, ~50 more bytes an
 * entry measured). 30 bits still leave collisions at the birthday bound for a sketch's counts.
 */
export const HASH_RANGE = 2 ** 30;

export function hashKey(key: string): number {
  const length = key.length;
  if (length >= DIGEST_LENGTH) {
    const start = length - DIGEST_LENGTH;
    if (start === 0 || key.charCodeAt(start - 1) === 58 /* ':' */) {
      const digest = hexDigestBits(key, start);
      if (digest !== -1) return finish(hashRange(key, 0, start) ^ digest);
    }
  }
  return finish(hashRange(key, 0, length));
}

/** FNV-1a over `key[from, to)`, two code units per multiply. */
function hashRange(key: string, from: number, to: number): number {
  let h = (to - from) ^ 0x811c9dc5;
  let i = from;
  for (; i + 1 < to; i += 2) {
    h = Math.imul(h ^ (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16)), 0x01000193);
  }
  if (i < to) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

/** Nibble value of an ASCII character, or -1 when it is not a hex digit. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let c = 48; c <= 57; c++) NIBBLE[c] = c - 48;
for (let c = 97; c <= 102; c++) NIBBLE[c] = c - 87;
for (let c = 65; c <= 70; c++) NIBBLE[c] = c - 55;

/**
 * The first 32 bits of a hex digest at `key[start, start + 64)`, or -1 when any of its 64
 * characters is not a hex digit (then the key is hashed whole). Branch-free: validity is
 * OR-ed together and tested once, so the loop has no dependency chain but that OR.
 */
function hexDigestBits(key: string, start: number): number {
  let bits = 0;
  let bad = 0;
  for (let i = 0; i < DIGEST_BITS_CHARS; i++) {
    const c = key.charCodeAt(start + i);
    const nibble = NIBBLE[c & 127] as number;
    bad |= (c >> 7) | (nibble >> 4);
    bits = (bits << 4) | (nibble & 15);
  }
  for (let i = DIGEST_BITS_CHARS; i < DIGEST_LENGTH; i++) {
    const c = key.charCodeAt(start + i);
    bad |= (c >> 7) | ((NIBBLE[c & 127] as number) >> 4);
  }
  return bad === 0 ? bits : -1;
}

/** murmur3's finalizer: FNV's low bits are weak, and the sketch indexes with low bits. */
function finish(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 2;
}
