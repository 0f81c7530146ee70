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

/** Characters that may continue a number or a `true` / `false` / `null` literal. */
const TOKEN_CHAR = /[0-9a-zA-Z.+-]/;
const TOKEN_START = /[-0-9tfn]/;
const WHITESPACE = /[ \t\r\n]/;
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
 * the scanner remembers the last place the text can be cut and closed. A
 * prefix is re-parsed only once it has grown by an eighth since the last
 * one, so a long answer costs O(n) parse work in total instead of O(n²);
 * short answers still get a partial per value (or per string delta).
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
    const text = this.#text;
    for (let i = start; i < text.length && !this.#broken; i++) this.#scan(text[i] as string, i);
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
    if (end === 0 || growth <= 0 || growth < this.#lastEnd >> 3) return undefined;
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

  #scan(c: string, i: number): void {
    switch (this.#mode) {
      case Mode.InString:
        if (this.#escape === -1) this.#escape = c === "u" ? 4 : 0;
        else if (this.#escape > 0) this.#escape--;
        else if (c === "\\") this.#escape = -1;
        else if (c === '"') {
          if (this.#stringIsKey) this.#mode = Mode.Colon;
          else this.#valueEnded(i + 1);
        }
        return;
      case Mode.InToken:
        if (TOKEN_CHAR.test(c)) return;
        this.#valueEnded(i);
        this.#scan(c, i);
        return;
    }
    if (WHITESPACE.test(c)) return;
    switch (this.#mode) {
      case Mode.ValueOrArrayEnd:
        if (c === "]") this.#close(c, i);
        else this.#value(c, i);
        return;
      case Mode.Value:
        this.#value(c, i);
        return;
      case Mode.KeyOrObjectEnd:
        if (c === "}") this.#close(c, i);
        else this.#key(c);
        return;
      case Mode.Key:
        this.#key(c);
        return;
      case Mode.Colon:
        if (c === ":") this.#mode = Mode.Value;
        else this.#broken = true;
        return;
      case Mode.AfterValue:
        if (c === ",") this.#mode = this.#closers[0] === "}" ? Mode.Key : Mode.Value;
        else this.#close(c, i);
        return;
      default:
        this.#broken = true;
    }
  }

  #value(c: string, i: number): void {
    if (c === "{" || c === "[") {
      if (this.#closers.length >= this.#maxDepth) {
        this.#broken = true;
        return;
      }
      this.#closers = (c === "{" ? "}" : "]") + this.#closers;
      this.#mode = c === "{" ? Mode.KeyOrObjectEnd : Mode.ValueOrArrayEnd;
      this.#markSafe(i + 1);
    } else if (c === '"') {
      this.#mode = Mode.InString;
      this.#stringIsKey = false;
    } else if (TOKEN_START.test(c)) {
      this.#mode = Mode.InToken;
    } else {
      this.#broken = true;
    }
  }

  #key(c: string): void {
    if (c !== '"') {
      this.#broken = true;
      return;
    }
    this.#mode = Mode.InString;
    this.#stringIsKey = true;
  }

  #close(c: string, i: number): void {
    if (c !== this.#closers[0]) {
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
