import { SSEParser } from "@llm/core";

const STREAMING = { stream: true };

/**
 * The stream floor's own work, for the profiling aids: each chunk decoded,
 * SSE-parsed and every frame but `[DONE]` JSON-parsed, synchronously, in
 * whatever callback hands it the chunk.
 */
export class FloorStreamReader {
  readonly #decoder = new TextDecoder();
  readonly #parser = new SSEParser();
  /** Frames JSON-parsed so far. */
  frames = 0;

  feed(bytes: Uint8Array): void {
    this.#take(this.#parser.feed(this.#decoder.decode(bytes, STREAMING)));
  }

  /** The body ended: the last frames; returns how many were parsed. */
  end(): number {
    this.#take(this.#parser.feed(this.#decoder.decode()));
    this.#take(this.#parser.end());
    return this.frames;
  }

  #take(events: ReturnType<SSEParser["feed"]>): void {
    for (const event of events)
      if (event.data !== "[DONE]") {
        JSON.parse(event.data);
        this.frames++;
      }
  }
}
