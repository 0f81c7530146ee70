import { Sha256 } from "@aws-crypto/sha256-js";
import { describe, expect, it } from "vitest";
import { NodeSha256 } from "./node-sha256.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** The reference: the pure-JS implementation the AWS SDK ships for browsers. */
async function reference(data: Uint8Array | string, secret?: Uint8Array | string): Promise<string> {
  const hash = new Sha256(secret);
  hash.update(data);
  return hex(await hash.digest());
}

describe("NodeSha256", () => {
  const inputs: (Uint8Array | string)[] = [
    "",
    "abc",
    "héllo wörld ✓",
    new TextEncoder().encode("x".repeat(10_000)),
    new Uint8Array([0, 1, 2, 255]).subarray(1, 3),
  ];

  it("hashes strings (as UTF-8) and byte views exactly as the reference does", async () => {
    for (const input of inputs) {
      const hash = new NodeSha256();
      hash.update(input);
      expect(hex(await hash.digest())).toBe(await reference(input));
    }
  });

  it("is HMAC-SHA-256 when given a secret, string or bytes", async () => {
    const secrets = ["AWS4secret", new Uint8Array(32).fill(7)];
    for (const secret of secrets) {
      for (const input of inputs) {
        const hash = new NodeSha256(secret);
        hash.update(input);
        expect(hex(await hash.digest())).toBe(await reference(input, secret));
      }
    }
  });

  it("accepts an ArrayBuffer and several updates", async () => {
    const hash = new NodeSha256(new Uint8Array([1, 2, 3]).buffer);
    hash.update("ab");
    hash.update(new Uint8Array([99]).buffer);
    expect(hex(await hash.digest())).toBe(await reference("abc", new Uint8Array([1, 2, 3])));
  });

  it("starts over after reset, keeping its secret", async () => {
    const hash = new NodeSha256("key");
    hash.update("ignored");
    await hash.digest();
    hash.reset();
    hash.update("data");
    expect(hex(await hash.digest())).toBe(await reference("data", "key"));
  });
});
