/**
 * TLS for the throw-away servers of `@llm/cache-redis/testing`: the arguments
 * that make `redis-server` (and a sentinel, and `redis-cli`) speak TLS only,
 * with certificates from `createTestCertificates()`.
 */
import type { TestCertificates } from "@llm/redis-connection/testing";

export interface PrivateRedisTLS {
  certificates: TestCertificates;
  /** Demand a client certificate signed by the test CA (`tls-auth-clients yes`). Default false. */
  mutual?: boolean;
}

/** `redis-server` arguments: TLS on `port`, clear text off, replication over TLS. */
export function tlsServerArgs(port: number, tls: PrivateRedisTLS): string[] {
  return tlsConfigLines(port, tls).flatMap((line) => {
    const [name, ...value] = line.split(" ");
    return [`--${name}`, value.join(" ")];
  });
}

/** The same as config-file lines (a sentinel reads its settings from a file it rewrites). */
export function tlsConfigLines(port: number, { certificates, mutual }: PrivateRedisTLS): string[] {
  return [
    "port 0",
    `tls-port ${port}`,
    `tls-cert-file ${certificates.serverCertFile}`,
    `tls-key-file ${certificates.serverKeyFile}`,
    `tls-ca-cert-file ${certificates.caFile}`,
    `tls-auth-clients ${mutual === true ? "yes" : "no"}`,
    "tls-replication yes",
  ];
}

/** `redis-cli` arguments that reach such a server (with the client certificate). */
export function redisCliTLSArgs({ certificates }: PrivateRedisTLS): string[] {
  return [
    "--tls",
    "--cacert",
    certificates.caFile,
    "--cert",
    certificates.clientCertFile,
    "--key",
    certificates.clientKeyFile,
  ];
}
