/**
 * A plain LRU over key hashes (30 bits, see `hashKey`), in typed arrays: what `lru-cache` of
 * the same capacity would hold, at ~24 bytes per entry and no allocation per access. SmartCache compares its own
 * hits with this shadow's to steer the admission window (see `SmartCache`): when LRU would
 * have hit and we missed, recency is winning; when we hit and LRU would have missed,
 * frequency is.
 *
 * Open addressing with linear probing and backward-shift deletion; a doubly linked list of
 * nodes gives the recency order. Two distinct keys with equal hashes share a node — rare
 * enough (30 bits) not to matter for a steering signal.
 */
const NONE = -1;
const STRIDE = 4;
const HASH = 0;
const PREV = 1;
const NEXT = 2;
/** 1 when the node's hash was re-referenced while in the shadow (LRU would have hit it). */
const REUSE = 3;

/** `ShadowLru.standing`: LRU would not hold the key. */
export const ABSENT = 0;
/** `ShadowLru.standing`: LRU holds the key, referenced once since it entered. */
export const HELD = 1;
/** `ShadowLru.standing`: LRU holds the key and saw it re-referenced while holding it. */
export const REUSED = 2;
export type Standing = typeof ABSENT | typeof HELD | typeof REUSED;

export class ShadowLru {
  readonly capacity: number;
  readonly #slots: Int32Array; // node index + 1; 0 = empty
  readonly #mask: number;
  /** Per node [hash, prev, next, reused]: one node, one 16-byte stretch of memory. */
  readonly #nodes: Int32Array;
  #head = NONE; // least recently used
  #tail = NONE; // most recently used
  #size = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
    let tableSize = 4;
    while (tableSize < this.capacity * 2) tableSize *= 2;
    this.#slots = new Int32Array(tableSize);
    this.#mask = tableSize - 1;
    this.#nodes = new Int32Array(this.capacity * STRIDE);
  }

  get size(): number {
    return this.#size;
  }

  /** Records an access: true if LRU would have hit (the hash is then most recent), false if it missed (it is inserted). */
  touch(hash: number): boolean {
    const h = hash | 0;
    const slots = this.#slots;
    const mask = this.#mask;
    let i = home(h) & mask;
    for (;;) {
      const slot = slots[i] as number;
      if (slot === 0) break;
      if (this.#nodes[(slot - 1) * STRIDE + HASH] === h) {
        this.#nodes[(slot - 1) * STRIDE + REUSE] = 1;
        this.#moveToTail(slot - 1);
        return true;
      }
      i = (i + 1) & mask;
    }
    let node: number;
    if (this.#size < this.capacity) {
      node = this.#size++;
    } else {
      node = this.#head;
      this.#unlink(node);
      this.#removeSlot(this.#nodes[node * STRIDE + HASH] as number);
      // The probe position may have moved during the backward shift: find it again.
      i = home(h) & mask;
      while ((slots[i] as number) !== 0) i = (i + 1) & mask;
    }
    this.#nodes[node * STRIDE + HASH] = h;
    this.#nodes[node * STRIDE + REUSE] = 0;
    slots[i] = node + 1;
    this.#append(node);
    return false;
  }

  /**
   * Where LRU stands on a key, without touching it (no recency change): ABSENT, HELD (one
   * reference since it entered) or REUSED (re-referenced while held).
   */
  standing(hash: number): Standing {
    const node = this.#nodeOf(hash | 0);
    if (node === NONE) return ABSENT;
    return this.#nodes[node * STRIDE + REUSE] === 1 ? REUSED : HELD;
  }

  /**
   * Removes the key's hash; true if it was held. The last node takes the freed node's place,
   * so the nodes stay packed in [0, size) and `touch` keeps allocating at the end.
   */
  delete(hash: number): boolean {
    const h = hash | 0;
    const node = this.#nodeOf(h);
    if (node === NONE) return false;
    this.#unlink(node);
    this.#removeSlot(h);
    const last = --this.#size;
    if (node !== last) this.#relocate(last, node);
    return true;
  }

  clear(): void {
    this.#slots.fill(0);
    this.#head = NONE;
    this.#tail = NONE;
    this.#size = 0;
  }

  /** The node holding hash `h`, or NONE. */
  #nodeOf(h: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = home(h) & mask;
    for (;;) {
      const slot = slots[i] as number;
      if (slot === 0) return NONE;
      if (this.#nodes[(slot - 1) * STRIDE + HASH] === h) return slot - 1;
      i = (i + 1) & mask;
    }
  }

  #removeSlot(h: number): void {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = home(h) & mask;
    const nodes = this.#nodes;
    while (nodes[((slots[i] as number) - 1) * STRIDE + HASH] !== h) i = (i + 1) & mask;
    slots[i] = 0;
    // Backward shift: pull later entries of the probe run into the hole when their home allows.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const slot = slots[j] as number;
      if (slot === 0) return;
      const k = home(nodes[(slot - 1) * STRIDE + HASH] as number) & mask;
      const stays = i <= j ? i < k && k <= j : i < k || k <= j;
      if (!stays) {
        slots[i] = slot;
        slots[j] = 0;
        i = j;
      }
    }
  }

  /** Moves node `from` (linked, in the table) to the free node `to`. */
  #relocate(from: number, to: number): void {
    const nodes = this.#nodes;
    const h = nodes[from * STRIDE + HASH] as number;
    const prev = nodes[from * STRIDE + PREV] as number;
    const next = nodes[from * STRIDE + NEXT] as number;
    nodes.copyWithin(to * STRIDE, from * STRIDE, from * STRIDE + STRIDE);
    if (prev === NONE) this.#head = to;
    else nodes[prev * STRIDE + NEXT] = to;
    if (next === NONE) this.#tail = to;
    else nodes[next * STRIDE + PREV] = to;
    const slots = this.#slots;
    const mask = this.#mask;
    let i = home(h) & mask;
    while ((slots[i] as number) !== from + 1) i = (i + 1) & mask;
    slots[i] = to + 1;
  }

  #unlink(node: number): void {
    const nodes = this.#nodes;
    const prev = nodes[node * STRIDE + PREV] as number;
    const next = nodes[node * STRIDE + NEXT] as number;
    if (prev === NONE) this.#head = next;
    else nodes[prev * STRIDE + NEXT] = next;
    if (next === NONE) this.#tail = prev;
    else nodes[next * STRIDE + PREV] = prev;
  }

  #append(node: number): void {
    const nodes = this.#nodes;
    nodes[node * STRIDE + PREV] = this.#tail;
    nodes[node * STRIDE + NEXT] = NONE;
    if (this.#tail === NONE) this.#head = node;
    else nodes[this.#tail * STRIDE + NEXT] = node;
    this.#tail = node;
  }

  #moveToTail(node: number): void {
    if (node === this.#tail) return;
    this.#unlink(node);
    this.#append(node);
  }
}

/** Spreads the hash so that nearby values do not cluster in the table. */
function home(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> 7;
}
