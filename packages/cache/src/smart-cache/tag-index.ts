/** Which keys carry which tags, both ways, so a tag's keys are found without a scan. */
export class TagIndex {
  readonly #keysByTag = new Map<string, Set<string>>();
  readonly #tagsByKey = new Map<string, readonly string[]>();

  tag(key: string, tags: readonly string[]): void {
    this.#tagsByKey.set(key, tags);
    for (const tag of tags) {
      let keys = this.#keysByTag.get(tag);
      if (keys === undefined) {
        keys = new Set();
        this.#keysByTag.set(tag, keys);
      }
      keys.add(key);
    }
  }

  /** Forgets the key's tags (cheap when nothing is tagged: the common case). */
  untag(key: string): void {
    if (this.#tagsByKey.size === 0) return;
    const tags = this.#tagsByKey.get(key);
    if (tags === undefined) return;
    this.#tagsByKey.delete(key);
    for (const tag of tags) {
      const keys = this.#keysByTag.get(tag);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) this.#keysByTag.delete(tag);
    }
  }

  /** A copy of the keys carrying `tag`. */
  keysOf(tag: string): string[] {
    const keys = this.#keysByTag.get(tag);
    return keys === undefined ? [] : [...keys];
  }

  clear(): void {
    this.#keysByTag.clear();
    this.#tagsByKey.clear();
  }
}
