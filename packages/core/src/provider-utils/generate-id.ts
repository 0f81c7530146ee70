const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * A random id such as `chatcmpl-3kT9xQ2mZp8bV1cW`, for responses whose
 * provider gave none (and for test fixtures). 16 base-62 chars ≈ 95 bits.
 */
export function generateId(prefix = "id", size = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  let out = "";
  // 256 % 62 bias is irrelevant for ids that only need to be unique.
  for (let i = 0; i < size; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return prefix ? `${prefix}-${out}` : out;
}
