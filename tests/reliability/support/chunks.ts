import fc from "fast-check";

const encoder = new TextEncoder();

/** Splits bytes at the given cut points (any order, duplicates allowed). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(bytes.subarray(from, point));
    from = point;
  }
  parts.push(bytes.subarray(from));
  return parts.filter((p) => p.length > 0);
}

/** Text as UTF-8, cut into arbitrary byte chunks (a multi-byte character may be split). */
export const chunked = (text: string, cuts: number[]): Uint8Array[] =>
  splitAt(encoder.encode(text), cuts);

export async function* iterate(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

export const cutsArb = fc.array(fc.nat({ max: 10_000 }), { maxLength: 12 });

/** Strings with the characters that matter to line-based parsers over-represented. */
export const wireText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "\n",
        "\r",
        "\r\n",
        ":",
        "data:",
        "data: ",
        "event:",
        "id:",
        "retry:",
        " ",
        "{",
        "}",
        '"',
        "é",
        "😀",
        "\u0000",
      ),
      fc.string({ maxLength: 12 }),
      fc.json({ maxDepth: 2 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));
