import { createPrivateKey, X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { ConfigError } from "@llm/core";
import { readBoundedFile } from "./read-bounded-file.js";

/**
 * TLS to one side of a Redis deployment (the data nodes, or the sentinels).
 * `ca`, `cert` and `key` are each a PEM file's path or the PEM text itself
 * (text starting with `-----BEGIN`, as an env var holding a certificate would).
 */
export interface RedisTLSOptions {
  /** CA bundle that signed the servers' certificates. Unset: Node's built-in public CAs. */
  ca?: string;
  /** Client certificate (mutual TLS); needs `key`. */
  cert?: string;
  /** The client certificate's private key (unencrypted PEM). A secret: never echoed in an error. */
  key?: string;
  /** The name the server's certificate must carry, when it is not the host connected to. */
  servername?: string;
  /**
   * Refuse a server whose certificate does not verify (default true). `false`
   * accepts any certificate: anyone on the network path can then pose as Redis.
   */
  rejectUnauthorized?: boolean;
}

/** ioredis's `tls` / `sentinelTLS`: a subset of Node's `tls.ConnectionOptions`, certificates loaded. */
export interface TLSConnectionOptions {
  ca?: string;
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized: boolean;
}

/** Largest CA bundle, certificate or key read (Mozilla's whole CA bundle is ~220 KiB). */
export const MAX_TLS_FILE_BYTES = 1024 * 1024;

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Loads and checks TLS settings once, at start: files are read (bounded by
 * `MAX_TLS_FILE_BYTES`), every certificate parsed and the key matched to its
 * certificate, so a wrong path or a damaged file is a `ConfigError` naming the
 * setting (`path`, e.g. `tls.ca`) and the file — never a handshake that fails
 * later with an OpenSSL code. The key's value (a path or the key itself) is
 * never put in an error.
 */
export function tlsConnectionOptions(tls: RedisTLSOptions, path = "tls"): TLSConnectionOptions {
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw tlsError(
      tls.cert === undefined ? `${path}.cert` : `${path}.key`,
      "missing: mutual TLS needs both cert and key",
    );
  }
  const ca = tls.ca === undefined ? undefined : certificates(tls.ca, `${path}.ca`);
  const cert = tls.cert === undefined ? undefined : certificates(tls.cert, `${path}.cert`);
  const key = tls.key === undefined ? undefined : privateKey(tls.key, `${path}.key`);
  if (cert !== undefined && key !== undefined) {
    try {
      createSecureContext({ cert, key });
    } catch {
      throw tlsError(`${path}.key`, `does not belong to the certificate of ${path}.cert`);
    }
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(tls.servername === undefined ? {} : { servername: tls.servername }),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
  };
}

/** True for PEM text given in place of a file path (`-----BEGIN …`). */
export const isPEMText = (value: string): boolean => value.trimStart().startsWith("-----BEGIN");

/** One or more certificates (a bundle, or a certificate and its chain), each parsed. */
function certificates(value: string, path: string): string {
  const source = isPEMText(value) ? "the PEM text" : value;
  const text = isPEMText(value) ? value : readBounded(value, path, value);
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) throw tlsError(path, `${source}: no PEM certificate in it`);
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block);
    } catch {
      throw tlsError(path, `${source}: certificate ${index + 1} is damaged`);
    }
  });
  return text;
}

function privateKey(value: string, path: string): string {
  // Named "the key file", never by its value: a key pasted without its PEM header would be echoed.
  const text = isPEMText(value) ? value : readBounded(value, path, "the key file");
  try {
    createPrivateKey(text);
  } catch {
    throw tlsError(path, "not an unencrypted PEM private key");
  }
  return text;
}

function readBounded(file: string, path: string, shownAs: string): string {
  const read = readBoundedFile(file, MAX_TLS_FILE_BYTES);
  if ("problem" in read) throw tlsError(path, `${shownAs}: ${read.problem}`);
  return read.text;
}

function tlsError(path: string, message: string): ConfigError {
  return new ConfigError("A Redis TLS setting cannot be used", { issues: [{ path, message }] });
}
