import { registerSecretValue } from "./redact.js";

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");
const REDACTED = "[REDACTED]";

/**
 * A credential that cannot leak by accident: `String(secret)`,
 * `JSON.stringify`, `util.inspect` and template literals all print
 * `[REDACTED]`. Its value is also registered with the redactor, so an error
 * message or log line that happens to contain it is masked too.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    registerSecretValue(value);
  }

  /** The raw value, for the one place that must send it (an HTTP header). */
  reveal(): string {
    return this.#value;
  }

  get isEmpty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return `Secret(${REDACTED})`;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

export const isSecret = (value: unknown): value is Secret => value instanceof Secret;

/** Accepts a plain string or a `Secret` and returns the raw value. */
export const revealSecret = (value: string | Secret | undefined): string | undefined =>
  value instanceof Secret ? value.reveal() : value;
