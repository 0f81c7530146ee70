import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { ConfigError } from "@llm/core";
import { RedisTLSError } from "@llm/redis-connection";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisFlightCoordinator } from "../src/redis-flight-coordinator.js";
import { RedisStore, type RedisStoreOptions } from "../src/redis-store.js";
import { RedisStoreError } from "../src/redis-store-error.js";
import {
  createTestCertificates,
  type PrivateRedisSentinel,
  startPrivateRedisSentinel,
  type TestCertificates,
  tlsServerArgs,
} from "../src/testing.js";
import { freePort, startPrivateRedis, stopPrivateRedis, uniqueNamespace } from "./redis-helpers.js";

/**
 * RedisStore over real TLS: private redis-servers that listen on TLS only
 * (one wanting a client certificate), certificates made by openssl for this
 * file, and a Sentinel deployment with TLS on every port.
 */
const PASSWORD = "tls-data-password";
const SENTINEL_PASSWORD = "tls-sentinel-password";
let certs: TestCertificates;
let tlsPort: number;
let mutualPort: number;
const servers: ChildProcess[] = [];
const open: Array<RedisStore | RedisFlightCoordinator> = [];

beforeAll(async () => {
  certs = await createTestCertificates();
  [tlsPort, mutualPort] = [await freePort(), await freePort()];
  servers.push(
    await startPrivateRedis(tlsPort, [
      "--requirepass",
      PASSWORD,
      ...tlsServerArgs(tlsPort, { certificates: certs }),
    ]),
    await startPrivateRedis(
      mutualPort,
      tlsServerArgs(mutualPort, { certificates: certs, mutual: true }),
    ),
  );
}, 30_000);
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await Promise.all(servers.map(stopPrivateRedis));
  await certs?.remove();
});

function store(options: Omit<RedisStoreOptions, "namespace">): RedisStore {
  const created = new RedisStore({ namespace: uniqueNamespace("tls"), ...options });
  open.push(created);
  return created;
}

/** What `ready()` settles with, bounded: a hang fails the test instead of stalling it. */
async function readyOutcome(target: { ready(): Promise<void> }): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    target.ready().then(
      () => "ready",
      (error: unknown) => error,
    ),
    new Promise((resolve) => {
      timer = setTimeout(() => resolve("still waiting after 10 s"), 10_000);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}

describe("RedisStore over TLS", () => {
  it("reads and writes through a rediss:// URL with the CA bundle that signed the server", async () => {
    const tls = store({
      url: `rediss://:${PASSWORD}@127.0.0.1:${tlsPort}`,
      tls: { ca: certs.caFile },
    });
    expect(await readyOutcome(tls)).toBe("ready");
    await tls.set("k", "over TLS");
    expect(await tls.get("k")).toBe("over TLS");
    await tls.clear();
  });

  it("speaks TLS to a redis:// URL when `tls` is set, checking the name given as servername", async () => {
    const named = store({
      url: `redis://127.0.0.1:${tlsPort}`,
      password: PASSWORD,
      tls: { ca: readFileSync(certs.caFile, "utf8"), servername: "localhost" },
    });
    expect(await readyOutcome(named)).toBe("ready");
    expect(await named.get("absent")).toBeUndefined();
  });

  it("presents a client certificate to a server that demands one", async () => {
    const mutual = store({
      url: `rediss://127.0.0.1:${mutualPort}`,
      tls: { ca: certs.caFile, cert: certs.clientCertFile, key: certs.clientKeyFile },
    });
    expect(await readyOutcome(mutual)).toBe("ready");
    await mutual.set("k", "mutual");
    expect(await mutual.get("k")).toBe("mutual");
    await mutual.clear();
  });

  it("refuses a server signed by another CA: ready() rejects with a RedisTLSError, calls fail fast, no secret shown", async () => {
    const changes: unknown[] = [];
    const key = readFileSync(certs.clientKeyFile, "utf8");
    const wrong = store({
      url: `rediss://:${PASSWORD}@127.0.0.1:${tlsPort}`,
      tls: { ca: certs.otherCAFile, cert: certs.clientCertFile, key },
      onStateChange: (change) => changes.push(change.error),
    });
    const error = await readyOutcome(wrong);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect(error).toMatchObject({ code: "REDIS_TLS", retryable: false });
    expect((error as Error).message).toMatch(/^TLS to Redis failed: .*certificate/);
    expect(changes[0]).toBeInstanceOf(RedisTLSError);
    const failed = await wrong.get("k").catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(RedisStoreError);
    const keyLine = key.split("\n")[1] as string;
    for (const shown of [error, changes[0], failed] as Error[]) {
      const text = `${shown.message} ${shown.stack} ${JSON.stringify(shown)}`;
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(keyLine);
    }
  });

  it("refuses a server whose certificate does not carry the servername", async () => {
    const wrong = store({
      url: `rediss://127.0.0.1:${mutualPort}`,
      tls: {
        ca: certs.caFile,
        cert: certs.clientCertFile,
        key: certs.clientKeyFile,
        servername: "redis.example.com",
      },
    });
    const error = await readyOutcome(wrong);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect((error as Error).message).toContain("redis.example.com");
  });

  it("reports a server that wants a client certificate and gets none as a RedisTLSError", async () => {
    const anonymous = store({ url: `rediss://127.0.0.1:${mutualPort}`, tls: { ca: certs.caFile } });
    expect(await readyOutcome(anonymous)).toBeInstanceOf(RedisTLSError);
  });

  it("refuses an unreadable CA bundle at construction with a ConfigError naming the file", () => {
    const missing = `${certs.dir}/missing-ca.pem`;
    expect(
      () =>
        new RedisStore({
          url: `rediss://127.0.0.1:${tlsPort}`,
          tls: { ca: missing },
          namespace: "x",
        }),
    ).toThrow(ConfigError);
    expect(
      () =>
        new RedisStore({
          url: `rediss://127.0.0.1:${tlsPort}`,
          tls: { ca: missing },
          namespace: "x",
        }),
    ).toThrow(`tls.ca: ${missing}: no such file`);
  });

  it("refuses `tls` with a cluster (not supported yet) rather than ignoring it", () => {
    expect(
      () => new RedisStore({ cluster: [`redis://127.0.0.1:${tlsPort}`], tls: {}, namespace: "x" }),
    ).toThrow(/TLS to a Redis Cluster is not supported yet/);
  });

  it("coordinates flights over TLS too", async () => {
    const coordinator = new RedisFlightCoordinator({
      url: `rediss://:${PASSWORD}@127.0.0.1:${tlsPort}`,
      tls: { ca: certs.caFile },
      namespace: uniqueNamespace("tls-flight"),
    });
    open.push(coordinator);
    expect(await readyOutcome(coordinator)).toBe("ready");
    const claim = await coordinator.claim("k");
    expect(claim.role).toBe("leader");
    if (claim.role === "leader") await claim.lease.abandon();
  });
});

describe("RedisStore through a Sentinel deployment with TLS everywhere", () => {
  let deployment: PrivateRedisSentinel;
  beforeAll(async () => {
    deployment = await startPrivateRedisSentinel({
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
      tls: { certificates: certs, mutual: true },
    });
  }, 60_000);
  afterAll(async () => {
    await deployment?.stop();
  });

  const sentinels = () => deployment.sentinels.map(({ host, port }) => `rediss://${host}:${port}`);
  const mutualTLS = () => ({
    ca: certs.caFile,
    cert: certs.clientCertFile,
    key: certs.clientKeyFile,
  });

  it("asks TLS sentinels for the master and reaches it over TLS", async () => {
    const through = store({
      sentinel: { name: deployment.name, sentinels: sentinels(), password: SENTINEL_PASSWORD },
      password: PASSWORD,
      tls: mutualTLS(),
    });
    expect(await readyOutcome(through)).toBe("ready");
    await through.set("k", "through TLS sentinels");
    expect(await through.get("k")).toBe("through TLS sentinels");
    await through.clear();
  });

  it("fails with a RedisTLSError when the sentinels' certificate is signed by another CA", async () => {
    const wrong = store({
      sentinel: {
        name: deployment.name,
        sentinels: sentinels(),
        password: SENTINEL_PASSWORD,
        tls: { ...mutualTLS(), ca: certs.otherCAFile },
      },
      password: PASSWORD,
      tls: mutualTLS(),
    });
    const error = await readyOutcome(wrong);
    expect(error).toBeInstanceOf(RedisTLSError);
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(SENTINEL_PASSWORD);
  });
});
