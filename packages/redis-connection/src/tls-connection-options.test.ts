import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCertificates, type TestCertificates } from "./test-certificates.js";
import { MAX_TLS_FILE_BYTES, tlsConnectionOptions } from "./tls-connection-options.js";

let certs: TestCertificates;
const pem = (file: string) => readFileSync(file, "utf8");

beforeAll(async () => {
  certs = await createTestCertificates();
});
afterAll(async () => {
  await certs?.remove();
});

/** The ConfigError `run` throws (failing the test when it throws nothing, or something else). */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("tlsConnectionOptions", () => {
  it("verifies servers by default, with Node's own CAs when no bundle is named", () => {
    expect(tlsConnectionOptions({})).toEqual({ rejectUnauthorized: true });
  });

  it("reads the CA bundle, client certificate and key from files", () => {
    const options = tlsConnectionOptions({
      ca: certs.caFile,
      cert: certs.clientCertFile,
      key: certs.clientKeyFile,
      servername: "localhost",
    });
    expect(options).toEqual({
      ca: pem(certs.caFile),
      cert: pem(certs.clientCertFile),
      key: pem(certs.clientKeyFile),
      servername: "localhost",
      rejectUnauthorized: true,
    });
  });

  it("takes PEM text in place of a path (a certificate held in an env var)", () => {
    const options = tlsConnectionOptions({
      ca: pem(certs.caFile),
      cert: pem(certs.clientCertFile),
      key: pem(certs.clientKeyFile),
    });
    expect(options.ca).toBe(pem(certs.caFile));
    expect(options.key).toBe(pem(certs.clientKeyFile));
  });

  it("turns verification off only when told to", () => {
    expect(tlsConnectionOptions({ rejectUnauthorized: false }).rejectUnauthorized).toBe(false);
  });

  it("names the setting and the file when the CA bundle is missing", () => {
    const missing = join(certs.dir, "nope.pem");
    const error = configError(() => tlsConnectionOptions({ ca: missing }, "cache.l2.tls"));
    expect(error.issues).toEqual([
      { path: "cache.l2.tls.ca", message: `${missing}: no such file` },
    ]);
    expect(error.message).toContain(missing);
  });

  it("refuses a directory, a file that holds no certificate, and a damaged certificate", () => {
    expect(configError(() => tlsConnectionOptions({ ca: certs.dir })).issues[0]?.message).toBe(
      `${certs.dir}: not a file`,
    );
    const notPEM = join(certs.dir, "not-pem.txt");
    writeFileSync(notPEM, "hello");
    expect(configError(() => tlsConnectionOptions({ ca: notPEM })).issues[0]?.message).toBe(
      `${notPEM}: no PEM certificate in it`,
    );
    const damaged = join(certs.dir, "damaged.pem");
    writeFileSync(damaged, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    expect(
      configError(() => tlsConnectionOptions({ cert: damaged, key: certs.clientKeyFile }))
        .issues[0],
    ).toEqual({
      path: "tls.cert",
      message: `${damaged}: certificate 1 is damaged`,
    });
  });

  it("refuses a file larger than the bound without reading it all", () => {
    const big = join(certs.dir, "big.pem");
    writeFileSync(big, Buffer.alloc(MAX_TLS_FILE_BYTES + 1, 0x41));
    expect(configError(() => tlsConnectionOptions({ ca: big })).issues[0]?.message).toBe(
      `${big}: larger than ${MAX_TLS_FILE_BYTES} bytes`,
    );
  });

  it("needs cert and key together", () => {
    expect(
      configError(() => tlsConnectionOptions({ cert: certs.clientCertFile })).issues[0]?.path,
    ).toBe("tls.key");
    expect(
      configError(() => tlsConnectionOptions({ key: certs.clientKeyFile })).issues[0]?.path,
    ).toBe("tls.cert");
  });

  it("refuses a key that is not the certificate's", () => {
    const error = configError(() =>
      tlsConnectionOptions({ cert: certs.clientCertFile, key: certs.serverKeyFile }),
    );
    expect(error.issues).toEqual([
      { path: "tls.key", message: "does not belong to the certificate of tls.cert" },
    ]);
  });

  it("never puts the key, or the value given as its path, in an error", () => {
    const keyText = pem(certs.clientKeyFile);
    const body = keyText.split("\n")[1] as string;
    // Key material without its PEM header is taken for a path: the error must not echo it.
    const headless = configError(() =>
      tlsConnectionOptions({ cert: certs.clientCertFile, key: body }),
    );
    expect(headless.issues).toEqual([{ path: "tls.key", message: "the key file: no such file" }]);
    const damaged = configError(() =>
      tlsConnectionOptions({
        cert: certs.clientCertFile,
        key: keyText.replace(body, body.split("").reverse().join("")),
      }),
    );
    expect(damaged.issues).toEqual([
      { path: "tls.key", message: "not an unencrypted PEM private key" },
    ]);
    for (const error of [headless, damaged]) {
      expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain(body);
    }
  });
});
