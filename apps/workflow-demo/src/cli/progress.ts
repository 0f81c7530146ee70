/** A one-line progress bar on a TTY; a line every 10% elsewhere (CI logs stay short). */
export class Progress {
  #done = 0;
  #hits = 0;
  #calls = 0;
  #lastDecile = -1;
  readonly #started = performance.now();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly enabled = true,
  ) {}

  call(hit: boolean): void {
    this.#calls++;
    if (hit) this.#hits++;
  }

  tick(): void {
    this.#done++;
    if (!this.enabled) return;
    const rate = this.#done / ((performance.now() - this.#started) / 1000);
    const hitRate = this.#calls === 0 ? 0 : (100 * this.#hits) / this.#calls;
    const text = `${this.#done}/${this.total} tickets  ${rate.toFixed(1)}/s  cache hits ${hitRate.toFixed(0)}%`;
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round((width * this.#done) / this.total);
      this.out.write(`\r[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${text}   `);
      if (this.#done === this.total) this.out.write("\n");
      return;
    }
    const decile = Math.floor((10 * this.#done) / this.total);
    if (decile !== this.#lastDecile) {
      this.#lastDecile = decile;
      this.out.write(`${text}\n`);
    }
  }
}
