import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

type Bytes = string | ArrayBuffer | ArrayBufferView;

/**
 * SHA-256 and HMAC-SHA-256 on node:crypto (OpenSSL) in the shape smithy's
 * `SignatureV4` takes as `sha256` (`new sha256(secret?)`, `update`, `digest`),
 * as `@smithy/hash-node` does. A pure-JS SHA-256 (`@aws-crypto/sha256-js`, the
 * browser build's choice) was the largest part of signing's CPU: SigV4 hashes
 * the body, the canonical request, an HMAC for the signing-key cache lookup and
 * the signature on every request.
 */
export class NodeSha256 {
  readonly #secret: Bytes | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: Bytes) {
    this.#secret = secret;
    this.#hash = NodeSha256.#create(secret);
  }

  update(data: Bytes): void {
    this.#hash.update(toView(data));
  }

  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }

  reset(): void {
    this.#hash = NodeSha256.#create(this.#secret);
  }

  static #create(secret: Bytes | undefined): Hash | Hmac {
    return secret === undefined ? createHash("sha256") : createHmac("sha256", toView(secret));
  }
}

/** Strings as they are (hashed as UTF-8, as smithy's `toUint8Array` does); bytes as a view, not a copy. */
function toView(data: Bytes): string | Uint8Array {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
