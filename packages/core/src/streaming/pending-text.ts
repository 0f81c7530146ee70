/**
 * Text that arrived without a line end yet, kept as pieces and joined once
 * when the line completes — so a long line split over many chunks costs
 * O(n), not the O(n²) of appending to one string per chunk. `length` lets a
 * parser refuse a piece that would take the line past its bound before
 * storing it, so the buffer never holds more than the bound.
 */
export class PendingText {
  readonly #pieces: string[] = [];
  #length = 0;

  /** UTF-16 code units pending. */
  get length(): number {
    return this.#length;
  }

  push(piece: string): void {
    this.#pieces.push(piece);
    this.#length += piece.length;
  }

  /** Everything pending, as one string; empties the buffer. */
  take(): string {
    const pieces = this.#pieces;
    if (pieces.length === 0) return "";
    const text = pieces.length === 1 ? pieces[0]! : pieces.join("");
    pieces.length = 0;
    this.#length = 0;
    return text;
  }
}
