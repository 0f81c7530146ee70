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

  it("says TLS sentinels (rediss://) are not supported yet, without echoing the address", () => {
    const attempt = () =>
      sentinelConnectionOptions({ name: "m", sentinels: ["rediss://:hunter2@tls-host:26379"] });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/TLS sentinels \(rediss:\/\/\) are not supported yet/);
    expect(attempt).not.toThrow(/hunter2/);
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
