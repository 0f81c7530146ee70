import type { JsonValue } from "../json.js";

/** What the scanner expects next. */
enum Mode {
  Value,
  ValueOrArrayEnd,
  KeyOrObjectEnd,
  Key,
  Colon,
  AfterValue,
  InString,
  InToken,
  Done,
}

/**
 * Up to this many characters, every new closable prefix is parsed (a partial
 * per value or string delta); past it, a re-parse waits until the prefix has
 * grown by an eighth. The first part costs a bounded O(FOLLOW_ALL²), the rest
 * O(n) in total.
 */
const FOLLOW_ALL = 1024;

// Character codes the scanner compares against (a code compare per character, no regex).
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_U = 0x75;

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** May start a number or a `true` / `false` / `null` literal. */
const isTokenStart = (c: number) =>
  isDigit(c) || c === 0x2d || c === 0x74 || c === 0x66 || c === 0x6e;
/** May continue one (digits, letters, `.`, `+`, `-`): the final parse judges the token itself. */
const isTokenChar = (c: number) =>
  isDigit(c) ||
  (c >= 0x61 && c <= 0x7a) ||
  (c >= 0x41 && c <= 0x5a) ||
  c === 0x2e ||
  c === 0x2b ||
  c === 0x2d;
/** Text that only closes what was auto-closed already: it cannot change the value. */
const ONLY_CLOSES = /^[\s\]}]*$/;
const ONLY_CLOSES_STRING = /^"[\s\]}]*$/;

export interface PartialJsonParserOptions {
  /** Deepest nesting followed; deeper answers get no partials (the final parse still judges them). Default 64. */
  maxDepth?: number;
}

/**
 * Parses a JSON text while it streams, handing out the value of its longest
 * prefix that can be closed (`{"a":[1,{"b":"hel` → `{ a: [1, { b: "hel" }] }`).
 *
 * Each character is scanned once (`push` costs the length of the delta), and
 * the scanner remembers the last place the text can be cut and closed. Past
 * the first KiB, a prefix is re-parsed only once it has grown by an eighth
 * since the last one, so a long answer costs O(n) parse work in total
 * instead of O(n²); short answers get a partial per value (or string delta).
 * Unclosable text (a key without its value, a number still growing, half an
 * escape) is left out until it completes. Anything that is not JSON stops
 * the partials; judging the whole answer is left to the final parse.
 */
export class PartialJsonParser {
  readonly #maxDepth: number;
  #text = "";
  #mode = Mode.Value;
  /** Closers of the open containers, innermost first: `"]}"` inside `{"a":[`. */
  #closers = "";
  #stringIsKey = false;
  /** 0: none; -1: just after a backslash; n > 0: hex digits of `\u` still to come. */
  #escape = 0;
  #safeEnd = 0;
  #safeClosers = "";
  #lastEnd = 0;
  #lastInString = false;
  #broken = false;

  constructor(options: PartialJsonParserOptions = {}) {
    this.#maxDepth = options.maxDepth ?? 64;
  }

  /** The text so far is not (the start of) one JSON value: no more partials. */
  get broken(): boolean {
    return this.#broken;
  }

  get text(): string {
    return this.#text;
  }

  push(delta: string): void {
    const start = this.#text.length;
    this.#text += delta;
    if (this.#broken) return;
    // Scan the delta, not the accumulated text: indexing a string built by `+=` flattens it.
    for (let j = 0; j < delta.length && !this.#broken; j++)
      this.#scan(delta.charCodeAt(j), start + j);
  }

  /**
   * The value of the longest closable prefix, when it has grown enough since
   * the last value handed out; `undefined` when there is nothing new (yet).
   */
  take(): JsonValue | undefined {
    if (this.#broken) return undefined;
    let end = this.#safeEnd;
    let closers = this.#safeClosers;
    const inString = this.#mode === Mode.InString && !this.#stringIsKey && this.#escape === 0;
    if (inString) {
      end = this.#text.length;
      closers = `"${this.#closers}`;
    }
    const growth = end - this.#lastEnd;
    if (end === 0 || growth <= 0) return undefined;
    if (this.#lastEnd > FOLLOW_ALL && growth < this.#lastEnd >> 3) return undefined;
    const added = this.#text.slice(this.#lastEnd, end);
    const lastInString = this.#lastInString;
    this.#lastEnd = end;
    this.#lastInString = inString;
    if (ONLY_CLOSES.test(added) || (lastInString && ONLY_CLOSES_STRING.test(added))) {
      return undefined;
    }
    try {
      return JSON.parse(this.#text.slice(0, end) + closers) as JsonValue;
    } catch {
      // Only text the scanner lets through (raw control characters in a string) gets here.
      this.#broken = true;
      return undefined;
    }
  }

  #scan(c: number, i: number): void {
    switch (this.#mode) {
      case Mode.InString:
        if (this.#escape === -1) this.#escape = c === LOWER_U ? 4 : 0;
        else if (this.#escape > 0) this.#escape--;
        else if (c === BACKSLASH) this.#escape = -1;
        else if (c === QUOTE) {
          if (this.#stringIsKey) this.#mode = Mode.Colon;
          else this.#valueEnded(i + 1);
        }
        return;
      case Mode.InToken:
        if (isTokenChar(c)) return;
        this.#valueEnded(i);
        this.#scan(c, i);
        return;
    }
    if (isWhitespace(c)) return;
    switch (this.#mode) {
      case Mode.ValueOrArrayEnd:
        if (c === CLOSE_BRACKET) this.#close(c, i);
        else this.#value(c, i);
        return;
      case Mode.Value:
        this.#value(c, i);
        return;
      case Mode.KeyOrObjectEnd:
        if (c === CLOSE_BRACE) this.#close(c, i);
        else this.#key(c);
        return;
      case Mode.Key:
        this.#key(c);
        return;
      case Mode.Colon:
        if (c === COLON) this.#mode = Mode.Value;
        else this.#broken = true;
        return;
      case Mode.AfterValue:
        if (c === COMMA)
          this.#mode = this.#closers.charCodeAt(0) === CLOSE_BRACE ? Mode.Key : Mode.Value;
        else this.#close(c, i);
        return;
      default:
        this.#broken = true;
    }
  }

  #value(c: number, i: number): void {
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (this.#closers.length >= this.#maxDepth) {
        this.#broken = true;
        return;
      }
      const object = c === OPEN_BRACE;
      this.#closers = (object ? "}" : "]") + this.#closers;
      this.#mode = object ? Mode.KeyOrObjectEnd : Mode.ValueOrArrayEnd;
      this.#markSafe(i + 1);
    } else if (c === QUOTE) {
      this.#mode = Mode.InString;
      this.#stringIsKey = false;
    } else if (isTokenStart(c)) {
      this.#mode = Mode.InToken;
    } else {
      this.#broken = true;
    }
  }

  #key(c: number): void {
    if (c !== QUOTE) {
      this.#broken = true;
      return;
    }
    this.#mode = Mode.InString;
    this.#stringIsKey = true;
  }

  #close(c: number, i: number): void {
    if (this.#closers === "" || c !== this.#closers.charCodeAt(0)) {
      this.#broken = true;
      return;
    }
    this.#closers = this.#closers.slice(1);
    this.#valueEnded(i + 1);
  }

  #valueEnded(end: number): void {
    this.#mode = this.#closers === "" ? Mode.Done : Mode.AfterValue;
    this.#markSafe(end);
  }

  #markSafe(end: number): void {
    this.#safeEnd = end;
    this.#safeClosers = this.#closers;
  }
}
