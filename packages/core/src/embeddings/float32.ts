import { ParseError } from "../errors/errors.js";

/**
 * Float32 vectors to and from their compact forms: little-endian bytes as
 * base64 (OpenAI's `encoding_format: "base64"`, the cache's stored form) and
 * JSON number arrays (Gemini, Ollama). Every decoder checks what it reads and
 * throws `ParseError` naming `where`, so a damaged answer or stored entry is
 * an error, never a vector of garbage.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The vector's bytes, little-endian, as base64. */
export function float32ToBase64(vector: Float32Array): string {
  const bytes = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  if (LITTLE_ENDIAN) return bytes.toString("base64");
  const swapped = Buffer.from(bytes);
  swapped.swap32();
  return swapped.toString("base64");
}

/**
 * Base64 of little-endian float32 bytes → a vector. Throws `ParseError` when
 * the text is not base64, its length is not a whole number of floats, or
 * (with `expectedLength`) it holds another number of them.
 */
export function float32FromBase64(
  text: string,
  where: string,
  expectedLength?: number,
): Float32Array {
  if (!BASE64.test(text)) throw new ParseError("embedding is not base64", { where });
  const bytes = Buffer.from(text, "base64");
  if (bytes.byteLength % 4 !== 0) {
    throw new ParseError(
      `embedding has ${bytes.byteLength} bytes, not a whole number of float32s`,
      {
        where,
      },
    );
  }
  const length = bytes.byteLength / 4;
  if (expectedLength !== undefined && length !== expectedLength) {
    throw new ParseError(`embedding has ${length} dimensions, expected ${expectedLength}`, {
      where,
    });
  }
  // Copy into a buffer of its own: the decoded bytes may sit at any offset of Node's pool.
  const vector = new Float32Array(length);
  const view = new Uint8Array(vector.buffer);
  view.set(bytes);
  if (!LITTLE_ENDIAN) Buffer.from(vector.buffer).swap32();
  checkFinite(vector, where);
  return vector;
}

/** A JSON array of numbers → a vector; anything else (a string, `null`, `NaN`) is a `ParseError`. */
export function float32FromNumbers(values: unknown, where: string): Float32Array {
  if (!Array.isArray(values))
    throw new ParseError("embedding is not an array of numbers", { where });
  const vector = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new ParseError(`embedding value is not a finite number`, { where: `${where}[${i}]` });
    }
    vector[i] = value;
  }
  return vector;
}

function checkFinite(vector: Float32Array, where: string): void {
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) {
      throw new ParseError("embedding value is not a finite number", { where: `${where}[${i}]` });
    }
  }
}

/** Standard base64 with optional padding; what `Buffer.from(…, "base64")` would silently skip is refused. */
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
