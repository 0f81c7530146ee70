import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeTLS } from "./probe-tls.js";
import { readyOrTLSFailure } from "./ready-or-tls-failure.js";
import { asRedisTLSError, RedisTLSError } from "./redis-tls-error.js";
import { sentinelConnectionOptions } from "./sentinel-connection-options.js";
import { createTestCertificates, type TestCertificates } from "./test-certificates.js";
import { tlsConnectionOptions } from "./tls-connection-options.js";

/**
 * Real handshakes: a `redis-server` on TLS only that demands a client
 * certificate, reached by ioredis with the options this package builds.
 */
let certs: TestCertificates;
let port: number;
let server: ChildProcess;
const connections: Redis[] = [];

beforeAll(async () => {
  certs = await createTestCertificates();
  port = await freePort();
  server = await startTLSRedis(port, certs);
}, 30_000);
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  server?.kill("SIGKILL");
  await certs?.remove();
});

function connect(options: RedisOptions): Redis {
  const redis = new Redis({ lazyConnect: true, maxRetriesPerRequest: 1, ...options });
  redis.on("error", () => {});
  connections.push(redis);
  redis.connect().catch(() => {});
  return redis;
}

/** What `readyOrTLSFailure` settles with, bounded so a hang fails instead of stalling. */
async function outcome(redis: Redis): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    readyOrTLSFailure(redis).then(
      () => "ready",
      (error: unknown) => error,
    ),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve("still waiting after 10 s"), 10_000);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

const mutual = () => ({
  ca: certs.caFile,
  cert: certs.clientCertFile,
  key: certs.clientKeyFile,
});

describe("readyOrTLSFailure", () => {
  it("resolves once a TLS connection with a client certificate is ready, and at once after", async () => {
    const redis = connect({ port, tls: tlsConnectionOptions(mutual()) });
    expect(await outcome(redis)).toBe("ready");
    expect(await redis.ping()).toBe("PONG");
    expect(await outcome(redis)).toBe("ready");
  });

  it("rejects with a RedisTLSError when the server's CA is not the one trusted", async () => {
    const redis = connect({
      port,
      tls: tlsConnectionOptions({ ...mutual(), ca: certs.otherCAFile }),
    });
    const error = await outcome(redis);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect(error).toMatchObject({ code: "REDIS_TLS", retryable: false });
    expect((error as Error).message).toMatch(/check tls\.ca/);
  });

  it("rejects with a RedisTLSError when the server wants a client certificate and gets none", async () => {
    const redis = connect({ port, tls: tlsConnectionOptions({ ca: certs.caFile }) });
    const error = await outcome(redis);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect((error as Error).message).toMatch(/certificate required/i);
  });

  it("finds out why TLS sentinels are unreachable, which ioredis does not say", async () => {
    const redis = connect({
      ...sentinelConnectionOptions(
        { name: "m", sentinels: [`rediss://127.0.0.1:${port}`] },
        { ...mutual(), ca: certs.otherCAFile },
      ),
      sentinelRetryStrategy: () => 50,
    });
    const error = await outcome(redis);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect((error as Error).message).not.toMatch(/All sentinels are unreachable/);
  });

  it("waits through a Redis that is not up yet, and resolves once it is", async () => {
    const later = await freePort();
    const errors: Error[] = [];
    const redis = connect({
      port: later,
      tls: tlsConnectionOptions(mutual()),
      retryStrategy: () => 50,
    });
    redis.on("error", (error: Error) => errors.push(error));
    const settled = outcome(redis);
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const late = await startTLSRedis(later, certs);
    try {
      expect(await settled).toBe("ready");
      expect(errors[0]?.message).toMatch(/ECONNREFUSED/);
    } finally {
      late.kill("SIGKILL");
    }
  });
});

describe("probeTLS", () => {
  it("finds nothing wrong with a handshake the server accepts, or with a server that is down", async () => {
    const settings = tlsConnectionOptions(mutual());
    expect(await probeTLS({ host: "127.0.0.1", port, tls: settings }, "server")).toBeUndefined();
    const down = await freePort();
    expect(
      await probeTLS({ host: "127.0.0.1", port: down, tls: settings }, "server"),
    ).toBeUndefined();
    expect(await probeTLS({ host: "127.0.0.1", port }, "server")).toBeUndefined();
  });

  it("names the refused certificate, trying each sentinel in turn", async () => {
    const down = await freePort();
    const found = await probeTLS(
      {
        sentinels: [
          { host: "127.0.0.1", port: down },
          { host: "127.0.0.1", port },
        ],
        sentinelTLS: tlsConnectionOptions({ ...mutual(), ca: certs.otherCAFile }),
      },
      "sentinels",
    );
    expect(found).toBeInstanceOf(RedisTLSError);
  });
});

describe("asRedisTLSError", () => {
  it("recognises TLS failures by code or message, and nothing else", () => {
    const coded = Object.assign(new Error("unable to verify"), { code: "CERT_HAS_EXPIRED" });
    expect(asRedisTLSError(coded)).toBeInstanceOf(RedisTLSError);
    expect(asRedisTLSError(coded)?.cause).toBe(coded);
    const already = new RedisTLSError("TLS to Redis failed");
    expect(asRedisTLSError(already)).toBe(already);
    expect(asRedisTLSError(new Error("connect ECONNREFUSED 127.0.0.1:1"))).toBeUndefined();
    expect(asRedisTLSError("certificate")).toBeUndefined();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** `redis-server` on TLS only, client certificates required; resolves once it listens. */
function startTLSRedis(tlsPort: number, tls: TestCertificates): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    [
      "--port",
      "0",
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--tls-port",
      String(tlsPort),
      "--tls-cert-file",
      tls.serverCertFile,
      "--tls-key-file",
      tls.serverKeyFile,
      "--tls-ca-cert-file",
      tls.caFile,
      "--tls-auth-clients",
      "yes",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve(child);
    });
    child.stderr?.resume();
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
}
