/** A bounded FIFO of strings in a ring buffer: O(1) push and shift, no allocation per operation. */
export class FifoRing {
  readonly capacity: number;
  readonly #items: string[];
  #first = 0;
  #size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#items = new Array<string>(capacity).fill("");
  }

  get size(): number {
    return this.#size;
  }

  push(item: string): void {
    if (this.#size === this.capacity) throw new RangeError("FifoRing: full");
    this.#items[(this.#first + this.#size) % this.capacity] = item;
    this.#size++;
  }

  shift(): string | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#first];
    this.#first = (this.#first + 1) % this.capacity;
    this.#size--;
    return item;
  }
}
