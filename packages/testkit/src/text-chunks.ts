const WORDISH = /\s*\S+/g;

/**
 * Splits text into the deltas a stream sends: fixed `chunkSize` slices when given, else
 * "word-ish" pieces (each word with its leading whitespace), like real token streams.
 * Never returns an empty array for non-empty text; joining the pieces gives the text back.
 */
export function chunkText(text: string, chunkSize?: number): string[] {
  if (text.length === 0) return [];
  if (chunkSize !== undefined && chunkSize > 0) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += chunkSize) out.push(text.slice(i, i + chunkSize));
    return out;
  }
  const pieces: string[] = text.match(WORDISH) ?? [];
  const joined = pieces.join("");
  // Trailing whitespace is not matched by the word pattern: keep it so nothing is lost.
  if (joined.length < text.length) pieces.push(text.slice(joined.length));
  return pieces;
}

/** Plausible token count for a text: about four characters per token, at least one. */
export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}
