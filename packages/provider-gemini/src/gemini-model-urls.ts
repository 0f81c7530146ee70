import { joinURL } from "@llm/core";
import { geminiModelPath } from "./gemini-connection.js";

/** Distinct model/method URLs kept per client: a handful in practice, a bound in any case. */
const DEFAULT_MAX_ENTRIES = 128;

/** A longer path (a model name is outside input) is joined every time, not kept. */
const MAX_CACHED_PATH_LENGTH = 512;

/**
 * A client's request URLs, one per model and method. Gemini puts the model in
 * the path (`…/models/gemini-2.5-flash:generateContent`), so the URL cannot be
 * built once per client; `joinURL` parses the base URL (a `new URL`) on every
 * call, so each distinct path is joined once and remembered. The key is the
 * whole path joinURL receives, so a hit is exactly what joinURL would return
 * (query merging such as `?alt=sse` after a proxy's `?tenant=` included).
 * Bounded: past `maxEntries` the oldest entry goes.
 */
export class GeminiModelURLs {
  readonly #baseURL: string;
  readonly #maxEntries: number;
  readonly #urls = new Map<string, string>();

  constructor(baseURL: string, maxEntries = DEFAULT_MAX_ENTRIES) {
    this.#baseURL = baseURL;
    this.#maxEntries = maxEntries;
  }

  /** `("gemini-2.5-flash", ":streamGenerateContent?alt=sse")` → the full request URL. */
  url(model: string, method: string): string {
    const path = geminiModelPath(model) + method;
    const known = this.#urls.get(path);
    if (known !== undefined) return known;
    const url = joinURL(this.#baseURL, path);
    if (path.length <= MAX_CACHED_PATH_LENGTH) {
      if (this.#urls.size >= this.#maxEntries) {
        // Maps iterate in insertion order: the first key is the oldest.
        const oldest = this.#urls.keys().next();
        if (!oldest.done) this.#urls.delete(oldest.value);
      }
      this.#urls.set(path, url);
    }
    return url;
  }

  /** How many URLs are remembered (for tests of the bound). */
  get size(): number {
    return this.#urls.size;
  }
}
