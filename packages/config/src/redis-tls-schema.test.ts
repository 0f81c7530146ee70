import { ConfigError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";
import { MAX_TLS_KEY_LENGTH } from "./schema.js";
import { redactValue } from "./secrets.js";

const KEY_PEM =
  "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg-not-a-real-key\n-----END PRIVATE KEY-----\n";

const yaml = (l2: string) => ({
  text: `cache:\n  l2: ${l2}\n`,
  file: "llm.yaml",
});

describe("TLS to Redis", () => {
  it("reads the data nodes' TLS settings, keeping the client key a secret", async () => {
    const config = await loadConfig({
      env: { REDIS_TLS_KEY: KEY_PEM },
      sources: [
        yaml(
          "{ type: redis, url: 'rediss://cache:6380', tls: { ca: /etc/redis/ca.pem, cert: /etc/redis/client.pem, key: '${REDIS_TLS_KEY}', servername: cache.internal } }",
        ),
      ],
    });
    const l2 = config.cache.l2;
    if (l2.type !== "redis" || !l2.tls) throw new Error("expected TLS settings");
    expect(l2.tls.ca).toBe("/etc/redis/ca.pem");
    expect(l2.tls.cert).toBe("/etc/redis/client.pem");
    expect(l2.tls.key?.reveal()).toBe(KEY_PEM);
    expect(l2.tls.servername).toBe("cache.internal");
    expect(l2.tls.rejectUnauthorized).toBe(true);
    const printed = `${JSON.stringify(config)} ${JSON.stringify(redactValue(config))}`;
    expect(printed).not.toContain("not-a-real-key");
  });

  it("takes every TLS setting from environment variables, the key as a secret", async () => {
    const config = await loadConfig({
      env: {
        LLM__CACHE__L2__TYPE: "redis",
        LLM__CACHE__L2__URL: "redis://cache:6379",
        LLM__CACHE__L2__TLS__CA: "/run/secrets/ca.pem",
        LLM__CACHE__L2__TLS__CERT: "/run/secrets/client.pem",
        LLM__CACHE__L2__TLS__KEY: KEY_PEM,
        LLM__CACHE__L2__TLS__REJECT_UNAUTHORIZED: "false",
        LLM__CACHE__L2__COALESCE__LEASE_MS: "2s",
      },
    });
    const l2 = config.cache.l2;
    if (l2.type !== "redis" || !l2.tls) throw new Error("expected TLS settings");
    expect(l2.tls).toMatchObject({
      ca: "/run/secrets/ca.pem",
      cert: "/run/secrets/client.pem",
      rejectUnauthorized: false,
    });
    expect(l2.tls.key?.reveal()).toBe(KEY_PEM);
    expect(l2.coalesce.leaseMs).toBe(2_000);
  });

  it("gives the sentinels their own TLS settings, and the rate-limit store its own", async () => {
    const config = await loadConfig({
      env: {},
      overrides: {
        rateLimits: {
          store: {
            type: "redis",
            sentinel: {
              name: "m",
              sentinels: ["rediss://s1:26379", "rediss://s2:26379"],
              tls: { ca: "/etc/sentinel-ca.pem" },
            },
            tls: { ca: "/etc/redis-ca.pem" },
          },
        },
      },
    });
    const store = config.rateLimits.store;
    if (store.type !== "redis" || !store.sentinel?.tls) throw new Error("expected sentinel TLS");
    expect(store.sentinel.tls).toEqual({ ca: "/etc/sentinel-ca.pem", rejectUnauthorized: true });
    expect(store.tls).toEqual({ ca: "/etc/redis-ca.pem", rejectUnauthorized: true });
  });

  it("refuses a client certificate without its key, and TLS with a cluster, naming the keys", async () => {
    const attempt = loadConfig({
      env: {},
      overrides: {
        cache: {
          l2: { type: "redis", url: "rediss://h", tls: { cert: "/c.pem" } },
        },
      },
    });
    await expect(attempt).rejects.toThrow(
      /cache\.l2\.tls\.key: mutual TLS needs both cert and key/,
    );
    await expect(
      loadConfig({
        env: {},
        overrides: { cache: { l2: { type: "redis", cluster: ["redis://a:1"], tls: {} } } },
      }),
    ).rejects.toThrow(/cache\.l2\.tls: TLS to a Redis Cluster is not supported yet/);
  });

  it("refuses unknown TLS keys and an oversized key without echoing it", async () => {
    await expect(
      loadConfig({
        env: {},
        sources: [yaml("{ type: redis, url: 'rediss://h', tls: { caFile: /x } }")],
      }),
    ).rejects.toThrow(/cache\.l2\.tls.*caFile/s);
    const huge = `-----BEGIN PRIVATE KEY-----\n${"k".repeat(MAX_TLS_KEY_LENGTH)}`;
    const error = await loadConfig({
      env: {},
      overrides: {
        cache: { l2: { type: "redis", url: "rediss://h", tls: { cert: "/c", key: huge } } },
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/cache\.l2\.tls\.key: is longer than/);
    expect((error as Error).message).not.toContain("kkkkkkkk");
  });
});
