const MISTRAL_ID = /^[A-Za-z0-9]{9}$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A tool call id Mistral accepts. Mistral refuses any id that is not exactly nine
 * letters and digits (`Tool call id was call_… but must be a-z, A-Z, 0-9, with a
 * length of 9`), which is what a conversation carries after another provider (or a
 * fallback) answered a turn. Its own ids pass through unchanged; any other id
 * becomes nine characters of a hash of it — the same for the assistant's call and
 * the tool's result, so the pair still matches.
 */
export function toMistralToolCallId(id: string): string {
  if (MISTRAL_ID.test(id)) return id;
  // Two 32-bit FNV-1a hashes with different seeds: 64 bits for nine base-62 characters.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  let out = "";
  for (let i = 0; i < 9; i++) {
    const pick = i % 2 === 0 ? a : b;
    out += ALPHABET[pick % 62];
    if (i % 2 === 0) a = Math.floor(a / 62) ^ Math.imul(b, 31);
    else b = Math.floor(b / 62) ^ Math.imul(a, 17);
    a >>>= 0;
    b >>>= 0;
  }
  return out;
}
