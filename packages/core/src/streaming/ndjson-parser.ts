import { ParseError } from "../errors/errors.js";
import type { JsonValue } from "../json.js";
import { redactSecrets } from "../redact.js";
import { checkLineLength, DEFAULT_RESPONSE_LIMITS, type ParserLimits } from "./limits.js";
import { PendingText } from "./pending-text.js";
import { readWithSignal } from "./read-with-signal.js";
import type { ParseStreamOptions } from "./sse-parser.js";
import { Utf8ChunkDecoder } from "./utf8-chunk-decoder.js";

const EXCERPT_LENGTH = 60;

/**
 * Incremental newline-delimited JSON parser. Lines end with LF (a trailing CR
 * is dropped); blank lines are skipped but counted, so `ParseError.where`
 * names the line an editor would show.
 *
 * Bounded: a line longer than `maxLineBytes` (UTF-16 code units of decoded
 * text) throws `LimitExceededError` as soon as the text crossing the bound
 * arrives; it is never stored.
 */
export class NDJSONParser {
  readonly #maxLine: number;
  /** Text after the last LF (it holds none), kept as parts until one arrives. */
  readonly #pending = new PendingText();
  #line = 0;
  /**
   * A malformed line met after good ones in the same chunk: those are returned
   * first, and this is thrown by the next `feed` / `end` — the values before a
   * bad line reach the caller however the lines were split into chunks.
   */
  #failure: ParseError | undefined;

  constructor(limits: ParserLimits = {}) {
    this.#maxLine = limits.maxLineBytes ?? DEFAULT_RESPONSE_LIMITS.maxLineBytes;
  }

  /** Text held while waiting for a line end (never more than `maxLineBytes`). */
  get bufferedLength(): number {
    return this.#pending.length;
  }

  /** Feeds decoded text; returns the values of the lines it completed. Throws `ParseError`. */
  feed(text: string): JsonValue[] {
    if (this.#failure) throw this.#failure;
    const values: JsonValue[] = [];
    if (text.length === 0) return values;
    // The buffered remainder holds no LF: search only the new text, and only
    // stash text without one (a long line in many chunks stays O(n)).
    let lf = text.indexOf("\n");
    if (lf === -1) {
      this.#checkLine(this.#pending.length + text.length);
      this.#pending.push(text);
      return values;
    }
    const prefix = this.#pending.take();
    const buf = prefix.length === 0 ? text : prefix + text;
    lf += prefix.length;
    let pos = 0;
    try {
      while (lf !== -1) {
        this.#parseLine(buf, pos, lf, values);
        pos = lf + 1;
        lf = buf.indexOf("\n", pos);
      }
    } catch (error) {
      if (!(error instanceof ParseError) || values.length === 0) throw error;
      this.#failure = error;
      return values;
    }
    if (pos < buf.length) {
      this.#checkLine(buf.length - pos);
      this.#pending.push(buf.slice(pos));
    }
    return values;
  }

  /** Parses an unterminated last line. Throws `ParseError`. */
  end(): JsonValue[] {
    if (this.#failure) throw this.#failure;
    const values: JsonValue[] = [];
    const buf = this.#pending.take();
    if (buf.length > 0) this.#parseLine(buf, 0, buf.length, values);
    return values;
  }

  #checkLine(length: number): void {
    checkLineLength(this.#maxLine, length, "NDJSON", this.#line);
  }

  #parseLine(buf: string, start: number, end: number, values: JsonValue[]): void {
    this.#checkLine(end - start);
    this.#line++;
    const line = buf.slice(start, end).trim();
    if (line.length === 0) return;
    try {
      values.push(JSON.parse(line) as JsonValue);
    } catch (cause) {
      const excerpt = line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH)}…` : line;
      throw new ParseError("Malformed NDJSON line", {
        where: `line ${this.#line}: ${JSON.stringify(redactSecrets(excerpt))}`,
        cause,
      });
    }
  }
}

/**
 * Parses a byte stream of newline-delimited JSON (Ollama's `/api/chat`), one
 * value per line, with one `Utf8ChunkDecoder`. A malformed line throws
 * `ParseError` naming its line number; it never waits for more input.
 */
export async function* parseNDJSON(
  body: AsyncIterable<Uint8Array>,
  options: ParseStreamOptions = {},
): AsyncGenerator<JsonValue, void, undefined> {
  const decoder = new Utf8ChunkDecoder(true);
  const parser = new NDJSONParser(options);
  // Without a signal, read the body directly: one async-generator layer less per chunk.
  const source = options.signal ? readWithSignal(body, options.signal) : body;
  for await (const chunk of source) {
    const values = parser.feed(decoder.decode(chunk));
    for (let i = 0; i < values.length; i++) yield values[i]!;
  }
  for (const value of parser.feed(decoder.end())) yield value;
  for (const value of parser.end()) yield value;
}
