import { ConfigError } from "@llm/core";
import type { RedisOptions } from "ioredis";
import { describe, expect, it } from "vitest";
import { sentinelConnectionOptions } from "./sentinel-connection-options.js";

describe("sentinelConnectionOptions", () => {
  it("turns redis:// addresses into hosts and ports, 26379 when the port is left out", () => {
    const options = sentinelConnectionOptions({
      name: "mymaster",
      sentinels: ["redis://10.0.0.1:26380", "redis://sentinel-b", "[::1]:26381"],
    });
    expect(options.name).toBe("mymaster");
    expect(options.sentinels).toEqual([
      { host: "10.0.0.1", port: 26380 },
      { host: "sentinel-b", port: 26379 },
      { host: "::1", port: 26381 },
    ]);
    expect(options).not.toHaveProperty("sentinelPassword");
  });

  it("keeps { host, port } entries as they are", () => {
    const options = sentinelConnectionOptions({
      name: "m",
      sentinels: [{ host: "127.0.0.1", port: 5000 }],
    });
    expect(options.sentinels).toEqual([{ host: "127.0.0.1", port: 5000 }]);
  });

  it("takes the sentinels' password from the first URL that has one", () => {
    const options = sentinelConnectionOptions({
      name: "m",
      sentinels: ["redis://a:1", "redis://:p%40ss@b:2", "redis://:other@c:3"],
    });
    expect(options.sentinelPassword).toBe("p@ss");
  });

  it("prefers an explicit password to one in a URL", () => {
    const options = sentinelConnectionOptions({
      name: "m",
      sentinels: ["redis://:in-url@b:2"],
      password: "explicit",
    });
    expect(options.sentinelPassword).toBe("explicit");
  });

  it("follows failovers: the failover detector on, reconnecting on READONLY only", () => {
    const options = sentinelConnectionOptions({ name: "m", sentinels: ["redis://a:1"] });
    expect(options.failoverDetector).toBe(true);
    expect(options.reconnectOnError(new Error("READONLY You can't write against a replica."))).toBe(
      true,
    );
    expect(options.reconnectOnError(new Error("ERR unknown command"))).toBe(false);
  });

  it("is assignable to ioredis's RedisOptions", () => {
    const options: RedisOptions = sentinelConnectionOptions({ name: "m", sentinels: ["a:1"] });
    expect(options.sentinels).toEqual([{ host: "a", port: 1 }]);
  });

  it("rejects a missing name and an empty sentinel list, naming the key", () => {
    const noName = () => sentinelConnectionOptions({ name: "", sentinels: ["redis://a:1"] });
    expect(noName).toThrow(ConfigError);
    expect(noName).toThrow(/name/);
    try {
      sentinelConnectionOptions({ name: "m", sentinels: [] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        { path: "sentinel.sentinels", message: "empty" },
      ]);
    }
  });

  it("speaks TLS to rediss:// sentinels, with Node's CAs when nothing else is named", () => {
    const options = sentinelConnectionOptions({
      name: "m",
      sentinels: ["rediss://:hunter2@tls-a:26380", "rediss://tls-b"],
    });
    expect(options.sentinels).toEqual([
      { host: "tls-a", port: 26380 },
      { host: "tls-b", port: 26379 },
    ]);
    expect(options.sentinelPassword).toBe("hunter2");
    expect(options.sentinelTLS).toEqual({ rejectUnauthorized: true });
    // The data nodes stay plain unless told otherwise.
    expect(options).not.toHaveProperty("tls");
    expect(options).not.toHaveProperty("enableTLSForSentinelMode");
  });

  it("gives rediss:// sentinels the data nodes' TLS settings unless they have their own", () => {
    const data = { servername: "redis.internal", rejectUnauthorized: false };
    const shared = sentinelConnectionOptions({ name: "m", sentinels: ["rediss://a:1"] }, data);
    expect(shared.sentinelTLS).toEqual(data);
    expect(shared.tls).toEqual(data);
    expect(shared.enableTLSForSentinelMode).toBe(true);

    const own = sentinelConnectionOptions(
      { name: "m", sentinels: ["rediss://a:1"], tls: { servername: "sentinel.internal" } },
      data,
    );
    expect(own.sentinelTLS).toEqual({ servername: "sentinel.internal", rejectUnauthorized: true });
    expect(own.tls).toEqual(data);
  });

  it("speaks TLS to the sentinels when they have TLS settings, and only to the data nodes when only they do", () => {
    const sentinelsOnly = sentinelConnectionOptions({
      name: "m",
      sentinels: [{ host: "a", port: 1 }],
      tls: {},
    });
    expect(sentinelsOnly.sentinelTLS).toEqual({ rejectUnauthorized: true });
    expect(sentinelsOnly).not.toHaveProperty("tls");

    const dataOnly = sentinelConnectionOptions({ name: "m", sentinels: ["redis://a:1"] }, {});
    expect(dataOnly).not.toHaveProperty("sentinelTLS");
    expect(dataOnly.tls).toEqual({ rejectUnauthorized: true });
    expect(dataOnly.enableTLSForSentinelMode).toBe(true);
  });

  it("refuses a mix of redis:// and rediss:// sentinels, naming the entry and not echoing it", () => {
    const attempt = () =>
      sentinelConnectionOptions({
        name: "m",
        sentinels: ["rediss://a:1", "redis://:hunter2@b:2"],
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/all be redis:\/\/ or all be rediss:\/\//);
    expect(attempt).not.toThrow(/hunter2/);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).issues[0]?.path).toBe("sentinel.sentinels.1");
    }
  });

  it("rejects a non-redis address by its index without echoing it (it may hold a password)", () => {
    for (const address of ["http://user:hunter2@host:1", "redis://:hunter2@", "::::"]) {
      try {
        sentinelConnectionOptions({ name: "m", sentinels: ["redis://ok:1", address] });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).message).toMatch(/redis:\/\/host:port/);
        expect(
          JSON.stringify({ ...(error as ConfigError), message: (error as Error).message }),
        ).not.toContain("hunter2");
        expect((error as ConfigError).issues[0]?.path).toBe("sentinel.sentinels.1");
      }
    }
  });
});
