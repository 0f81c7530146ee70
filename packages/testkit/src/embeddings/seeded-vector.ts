import { hashString, Prng } from "../prng.js";

/**
 * The mock's embedding of `text`: a unit-length vector drawn from a PRNG
 * seeded by the text (and the server seed), so the same text always gets
 * the same vector — across calls, batches, processes and providers — and two
 * texts get unrelated ones. Values are rounded to float32, as every real
 * provider computes them, so a float32 round trip is exact.
 */
export function seededVector(text: string, dimensions: number, seed: number): Float32Array {
  const prng = new Prng(hashString(text, (0x811c9dc5 ^ seed) >>> 0));
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = prng.next() * 2 - 1;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm === 0 ? 1 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}

/** Float32 little-endian bytes as base64: OpenAI's `encoding_format: "base64"`. */
export function vectorToBase64(vector: Float32Array): string {
  // The mock runs on little-endian hosts (x86, arm64): the array's own bytes are the wire bytes.
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64");
}
