/** Exponentially weighted moving average; the first sample seeds it. */
export class Ewma {
  #value: number | undefined;
  constructor(readonly alpha = 0.2) {}

  add(sample: number): void {
    this.#value =
      this.#value === undefined ? sample : this.#value + this.alpha * (sample - this.#value);
  }

  /** The average, or `undefined` before the first sample. */
  get value(): number | undefined {
    return this.#value;
  }
}
