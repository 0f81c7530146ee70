/**
 * `@llm/redis-connection/testing`: throw-away certificates for tests that talk
 * TLS to a real `redis-server`, made with `openssl` the way an operator would
 * (a CA, a server certificate for 127.0.0.1 / localhost signed by it, a client
 * certificate for mutual TLS) — and a second, unrelated CA to prove that a
 * server signed by someone else is refused.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificates {
  /** The directory holding every file below. */
  readonly dir: string;
  /** PEM files: the CA, the server's certificate and key, the client's certificate and key. */
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /** A CA that signed none of these certificates. */
  readonly otherCAFile: string;
  /** Removes the directory. */
  remove(): Promise<void>;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** Creates the certificates in a fresh temp directory (EC keys: quick to make, one day valid). */
export async function createTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), "llm-redis-tls-"));
  const file = (name: string) => join(dir, name);
  try {
    await makeCA(dir, "ca", "llm-kit test CA");
    await makeCA(dir, "other-ca", "llm-kit unrelated CA");
    await writeFile(file("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    await writeFile(file("client.ext"), "extendedKeyUsage=clientAuth\n");
    await signed(dir, "server", "localhost");
    await signed(dir, "client", "llm-kit test client");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    caFile: file("ca.crt"),
    serverCertFile: file("server.crt"),
    serverKeyFile: file("server.key"),
    clientCertFile: file("client.crt"),
    clientKeyFile: file("client.key"),
    otherCAFile: file("other-ca.crt"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

function makeCA(dir: string, name: string, commonName: string): Promise<string> {
  return openssl(dir, [
    "req",
    "-x509",
    ...EC_KEY,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-subj",
    `/CN=${commonName}`,
    "-days",
    "1",
  ]);
}

async function signed(dir: string, name: string, commonName: string): Promise<void> {
  await openssl(dir, [
    "req",
    ...EC_KEY,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
    "-subj",
    `/CN=${commonName}`,
  ]);
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    `${name}.crt`,
    "-days",
    "1",
    "-extfile",
    `${name}.ext`,
  ]);
}

function openssl(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("openssl", args, { cwd, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`openssl ${args[0]}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}
