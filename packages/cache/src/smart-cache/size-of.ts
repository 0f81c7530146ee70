/**
 * The default byte estimate of a cache entry: what the value, its key and the cache's own
 * bookkeeping occupy on a 64-bit V8 heap (no pointer compression in Node). Deliberately on
 * the high side — strings count 2 bytes per character even when V8 stores one — so that a
 * byte budget bounds the real heap rather than an optimistic guess of it.
 */

/** Map slot, region arrays (key, value, links, size, TTL) per entry. */
export const ENTRY_OVERHEAD_BYTES = 96;
const STRING_HEADER = 24;
const OBJECT_HEADER = 24;
const ARRAY_HEADER = 32;
const SLOT = 8;
const NUMBER_BYTES = 16;
/** Walking stops after this many nodes; the rest is extrapolated conservatively. */
const MAX_NODES = 10_000;

export function stringBytes(value: string): number {
  return STRING_HEADER + 2 * value.length;
}

/** Estimates the bytes an entry holds: key + value + bookkeeping. */
export function defaultSizeOf(value: unknown, key: string): number {
  return ENTRY_OVERHEAD_BYTES + stringBytes(key) + estimateBytes(value);
}

/** A fast walk over a JSON-like value; shared references and cycles are counted once. */
export function estimateBytes(value: unknown): number {
  switch (typeof value) {
    case "string":
      return stringBytes(value);
    case "number":
      return NUMBER_BYTES;
    case "bigint":
      return NUMBER_BYTES + 8 * Math.ceil(value.toString(16).length / 16);
    case "object":
      return value === null ? 0 : walk(value);
    default:
      return 0;
  }
}

function walk(root: object): number {
  const seen = new Set<object>();
  const stack: object[] = [root];
  let bytes = 0;
  let nodes = 0;
  while (stack.length > 0) {
    const node = stack.pop() as object;
    if (seen.has(node)) continue;
    seen.add(node);
    if (++nodes > MAX_NODES) {
      // Pathologically large values: assume the unseen rest averages what we have seen.
      return Math.ceil(bytes * (1 + stack.length / nodes));
    }
    bytes += nodeBytes(node, stack);
  }
  return bytes;
}

function nodeBytes(node: object, stack: object[]): number {
  if (ArrayBuffer.isView(node)) return OBJECT_HEADER + 64 + node.byteLength;
  if (node instanceof ArrayBuffer) return OBJECT_HEADER + 64 + node.byteLength;
  if (node instanceof Date) return 96;
  if (Array.isArray(node)) {
    let bytes = ARRAY_HEADER + SLOT * node.length;
    for (const item of node) bytes += leafBytes(item, stack);
    return bytes;
  }
  if (node instanceof Map) {
    let bytes = OBJECT_HEADER + 3 * SLOT * node.size + 64;
    for (const [k, v] of node) bytes += leafBytes(k, stack) + leafBytes(v, stack);
    return bytes;
  }
  if (node instanceof Set) {
    let bytes = OBJECT_HEADER + 2 * SLOT * node.size + 64;
    for (const v of node) bytes += leafBytes(v, stack);
    return bytes;
  }
  let bytes = OBJECT_HEADER;
  for (const k in node) {
    if (!Object.hasOwn(node, k)) continue;
    bytes += SLOT + leafBytes((node as Record<string, unknown>)[k], stack);
  }
  return bytes;
}

/** Bytes of a primitive child; objects are pushed to be walked. */
function leafBytes(value: unknown, stack: object[]): number {
  if (typeof value === "object" && value !== null) {
    stack.push(value);
    return 0;
  }
  return estimateBytes(value);
}
