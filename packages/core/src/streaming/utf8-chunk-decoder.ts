/** The highest byte that is a whole character on its own (ASCII). */
const LAST_ASCII = 0x7f;
const BOM = 0xfeff;
const STREAMING = Object.freeze({ stream: true });

type TextDecoderInstance = InstanceType<typeof TextDecoder>;

/**
 * UTF-8 decoding of a body that arrives in chunks, for the stream parsers.
 *
 * Equivalent to one streaming `TextDecoder` (a character split across chunks
 * survives; malformed bytes become U+FFFD), but about 4× cheaper per chunk on
 * Node: a chunk that ends on an ASCII byte, with nothing held from the one
 * before, cannot leave a character open, so it is decoded whole by
 * `Buffer#toString` — SSE and NDJSON frames end in a line feed, so that is
 * nearly every chunk. Only a chunk that ends inside a character (or follows
 * one that did) goes through the streaming `TextDecoder`.
 *
 * `stripBOM`: drop a U+FEFF that begins the stream, as `TextDecoder` does by
 * default. The SSE parser strips it itself, so it passes `false`.
 */
export class Utf8ChunkDecoder {
  readonly #stripBOM: boolean;
  /** Made on the first chunk that needs it: most streams never do. */
  #streaming: TextDecoderInstance | undefined;
  /** `#streaming` may hold the bytes of an unfinished character. */
  #holding = false;
  /** No text produced yet: a BOM would still be the stream's first character. */
  #atStart = true;

  constructor(stripBOM: boolean) {
    this.#stripBOM = stripBOM;
  }

  /** The text this chunk completes. */
  decode(chunk: Uint8Array): string {
    const length = chunk.length;
    if (length === 0) return "";
    let text: string;
    if (!this.#holding && (chunk[length - 1] as number) <= LAST_ASCII) {
      text = toBuffer(chunk).toString();
    } else {
      this.#streaming ??= new TextDecoder("utf-8", { ignoreBOM: true });
      text = this.#streaming.decode(chunk, STREAMING);
      // Ending on ASCII leaves nothing open; otherwise the decoder may hold a partial character.
      this.#holding = (chunk[length - 1] as number) > LAST_ASCII;
    }
    return this.#atStart ? this.#start(text) : text;
  }

  /** The body ended: a character left unfinished becomes U+FFFD. */
  end(): string {
    if (!this.#holding) return "";
    this.#holding = false;
    const text = (this.#streaming as TextDecoderInstance).decode();
    return this.#atStart ? this.#start(text) : text;
  }

  #start(text: string): string {
    if (text.length === 0) return text;
    this.#atStart = false;
    return this.#stripBOM && text.charCodeAt(0) === BOM ? text.slice(1) : text;
  }
}

/** A view of the same bytes as a `Buffer` (no copy); undici's chunks already are one. */
function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}
