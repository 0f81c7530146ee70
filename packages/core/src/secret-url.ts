import { registerSecretValue, scanURL } from "./redact.js";

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A URL that may carry a credential (`https://…/v1?key=…`,
 * `redis://:password@host`, a webhook whose path is the token). Everything
 * that turns it into text — `String()`, template literals, `JSON.stringify`,
 * `util.inspect` — shows the redacted form, which keeps the scheme, host,
 * path and parameter names so it is still useful in a log. The credential
 * parts are registered with the redactor, so an error message that quotes
 * the real URL is masked too. `reveal()` gives the URL to the one place
 * that must call it.
 *
 * Not a `string` subclass on purpose: a value typed `SecretURL` cannot be
 * passed where a string is expected without an explicit `reveal()`.
 */
export class SecretURL {
  readonly #value: string;
  /** The URL with its credential parts replaced by `[REDACTED]`. */
  readonly redacted: string;

  constructor(value: string) {
    this.#value = value;
    const scan = scanURL(value);
    this.redacted = scan.redacted;
    for (const part of scan.secrets) registerSecretValue(part);
  }

  /** The real URL, for the transport that calls it. */
  reveal(): string {
    return this.#value;
  }

  /** True when the URL carries a credential that the redacted form hides. */
  get hasCredentials(): boolean {
    return this.redacted !== this.#value;
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): string {
    return this.redacted;
  }

  [inspectCustom](): string {
    return `SecretURL(${this.redacted})`;
  }

  [Symbol.toPrimitive](): string {
    return this.redacted;
  }
}

export const isSecretURL = (value: unknown): value is SecretURL => value instanceof SecretURL;

/** Accepts a plain URL string or a `SecretURL` and returns the real URL. */
export const revealURL = (value: string | SecretURL | undefined): string | undefined =>
  value instanceof SecretURL ? value.reveal() : value;
