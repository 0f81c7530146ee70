import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeCacheStore, waitUntil } from "@llm/cache/testing";
import { ConfigError, LimitExceededError } from "@llm/core";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "llm-cache-sqlite-"));
let n = 0;
const freshPath = () => join(dir, `cache-${process.pid}-${n++}.db`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCacheStore("SqliteStore", {
  create: () => new SqliteStore({ path: freshPath() }),
  // A second handle on the same file, as a second process would open it.
  connectPeer: (store) => new SqliteStore({ path: (store as SqliteStore).path }),
});

describe("SqliteStore files", () => {
  it("creates the file with mode 0600 even when the umask would allow more", async () => {
    const path = freshPath();
    const previous = process.umask(0);
    try {
      const store = new SqliteStore({ path });
      await store.set("k", "v");
      expect(statSync(path).mode & 0o777).toBe(0o600);
      await store.close();
    } finally {
      process.umask(previous);
    }
  });

  it("narrows an existing file's mode to 0600", async () => {
    const path = freshPath();
    writeFileSync(path, "");
    chmodSync(path, 0o644);
    const store = new SqliteStore({ path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it("creates missing parent directories", async () => {
    const path = join(dir, "nested", "deeper", "cache.db");
    const store = new SqliteStore({ path });
    await store.set("k", "v");
    expect(existsSync(path)).toBe(true);
    await store.close();
  });

  it("opens the file in WAL mode", async () => {
    const path = freshPath();
    const store = new SqliteStore({ path });
    await store.set("k", "v");
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    await store.close();
  });

  it("keeps its entries across a restart", async () => {
    const path = freshPath();
    const first = new SqliteStore({ path });
    await first.set("k", "persisted", { ttlMs: 60_000, tags: ["t"] });
    await first.close();
    const second = new SqliteStore({ path });
    expect(await second.get("k")).toBe("persisted");
    expect(second.usage.entries).toBe(1);
    expect(await second.deleteByTag("t")).toBe(1);
    await second.close();
  });

  it("refuses a file that is not a database with a ConfigError naming the path", () => {
    const path = freshPath();
    writeFileSync(
      path,
      "this is not a sqlite database, just some text that is long enough ".repeat(20),
    );
    let error: unknown;
    try {
      new SqliteStore({ path });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(path);
    expect((error as ConfigError).issues[0]).toMatchObject({ path: "path", file: path });
    expect((error as ConfigError).message).toMatch(/not a database/);
  });

  it("refuses an unwritable location with a ConfigError naming the path", () => {
    const path = "/dev/null/cache.db";
    expect(() => new SqliteStore({ path })).toThrow(ConfigError);
    expect(() => new SqliteStore({ path })).toThrow(/\/dev\/null\/cache\.db/);
  });

  it("refuses a file written with another schema version", () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.pragma("user_version = 42");
    raw.close();
    expect(() => new SqliteStore({ path })).toThrow(/schema version is 42/);
  });

  it("falls back to memory, logs why and reports itself degraded when asked to", async () => {
    const path = freshPath();
    writeFileSync(path, "garbage ".repeat(200));
    const logged: string[] = [];
    const store = new SqliteStore({ path, fallbackToMemory: true, logger: (m) => logged.push(m) });
    expect(store.degraded).toBe(true);
    expect(store.degradedReason).toContain(path);
    expect(logged[0]).toContain(path);
    expect(logged[0]).toContain("in-memory");
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
    await store.close();
  });

  it("reports a healthy store as not degraded", async () => {
    const store = new SqliteStore({ path: freshPath() });
    expect(store.degraded).toBe(false);
    expect(store.degradedReason).toBeUndefined();
    await store.close();
  });
});

describe("SqliteStore expiry and caps", () => {
  it("hides an expired entry on read and deletes it", async () => {
    let now = 1_000_000;
    const store = new SqliteStore({ path: freshPath(), now: () => now, sweepIntervalMs: 0 });
    await store.set("k", "v", { ttlMs: 100 });
    now += 100;
    expect(await store.get("k")).toBeUndefined();
    expect(store.usage.entries).toBe(0);
    await store.set("k2", "v", { ttlMs: 100 });
    now += 200;
    expect(await store.delete("k2")).toBe(false);
    await store.close();
  });

  it("sweeps expired entries in the background", async () => {
    let now = 1_000_000;
    const store = new SqliteStore({ path: freshPath(), now: () => now, sweepIntervalMs: 5 });
    for (let i = 0; i < 10; i++) await store.set(`k${i}`, "v", { ttlMs: 100, tags: ["t"] });
    await store.set("keep", "v");
    now += 500;
    await waitUntil(() => store.usage.entries === 1);
    expect(await store.get("keep")).toBe("v");
    expect(await store.deleteByTag("t")).toBe(0);
    await store.close();
  });

  it("reports sweep errors to onError instead of throwing", async () => {
    let broken = false;
    const errors: unknown[] = [];
    const store = new SqliteStore({
      path: freshPath(),
      sweepIntervalMs: 5,
      now: () => {
        if (broken) throw new Error("clock broke");
        return Date.now();
      },
      onError: (e) => errors.push(e),
    });
    broken = true;
    await waitUntil(() => errors.length > 0);
    expect(String(errors[0])).toContain("clock broke");
    broken = false;
    await store.close();
  });

  it("sweeps in batches of a thousand", async () => {
    let now = 1_000_000;
    const store = new SqliteStore({ path: freshPath(), now: () => now, sweepIntervalMs: 0 });
    await store.setMany(
      Array.from({ length: 2_500 }, (_, i) => ({ key: `k${i}`, value: "v", ttlMs: 10 })),
    );
    now += 20;
    expect(store.sweep()).toBe(2_500);
    expect(store.usage).toEqual({ entries: 0, bytes: 0 });
    await store.close();
  });

  it("evicts the least recently read entries when over its byte cap", async () => {
    let now = 1_000_000;
    const store = new SqliteStore({
      path: freshPath(),
      maxBytes: 10_000,
      now: () => now,
      sweepIntervalMs: 0,
    });
    const value = "x".repeat(990); // 1 000 bytes with its 10-byte key
    for (let i = 0; i < 9; i++) {
      await store.set(`key-${String(i).padStart(4, "0")}`, value);
      now += 2_000;
    }
    expect(await store.get("key-0000")).toBe(value); // read: now the most recent
    now += 2_000;
    await store.set("key-0009", value);
    await store.set("key-0010", value); // over 10 000: evict down to 9 000
    expect(store.usage.bytes).toBeLessThanOrEqual(9_000);
    expect(await store.get("key-0000")).toBe(value);
    expect(await store.get("key-0001")).toBeUndefined();
    expect(await store.get("key-0010")).toBe(value);
    await store.close();
  });

  it("evicts the oldest entries when over its entry cap", async () => {
    let now = 1_000_000;
    const store = new SqliteStore({
      path: freshPath(),
      maxEntries: 100,
      now: () => now,
      sweepIntervalMs: 0,
    });
    for (let i = 0; i < 101; i++) {
      await store.set(`k${i}`, "v");
      now += 1;
    }
    expect(store.usage.entries).toBe(90);
    expect(await store.get("k0")).toBeUndefined();
    expect(await store.get("k100")).toBe("v");
    await store.close();
  });

  it("keeps byte accounting exact across overwrites and deletes", async () => {
    const store = new SqliteStore({ path: freshPath(), sweepIntervalMs: 0 });
    await store.set("k", "12345");
    await store.set("k", "1234567890");
    expect(store.usage).toEqual({ entries: 1, bytes: 11 });
    await store.set("p:a", "1");
    await store.set("p:b", "2");
    expect(await store.deleteByPrefix("p:")).toBe(2);
    expect(store.usage).toEqual({ entries: 1, bytes: 11 });
    expect(await store.deleteByPrefix("")).toBe(1);
    expect(store.usage).toEqual({ entries: 0, bytes: 0 });
    await store.close();
  });

  it("works in memory with path :memory:", async () => {
    const store = new SqliteStore({ path: ":memory:" });
    await store.set("k", "v");
    expect(await store.get("k")).toBe("v");
    await store.close();
  });
});

describe("SqliteStore read bound", () => {
  it("reads an entry over maxEntryBytes as a miss, reporting its size, not its content", async () => {
    const errors: unknown[] = [];
    const path = freshPath();
    const store = new SqliteStore({
      path,
      maxEntryBytes: 1024,
      onError: (error) => errors.push(error),
    });
    await store.set("fits", "é".repeat(512)); // 1024 bytes, 512 characters
    // Written behind the store's back, as another process sharing the file could.
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO entries (key, value, expires_at, accessed_at, size) VALUES (?, ?, NULL, 0, 1)",
      )
      .run("huge", "y".repeat(1025));
    raw.close();
    expect(await store.get("huge")).toBeUndefined();
    expect(await store.getMany(["fits", "huge", "absent"])).toEqual([
      "é".repeat(512),
      undefined,
      undefined,
    ]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeInstanceOf(LimitExceededError);
    expect(errors[0]).toMatchObject({ limit: "entryBytes", max: 1024, value: 1025 });
    expect(String(errors[0])).toContain("SqliteStore entry huge");
    expect(String(errors[0])).not.toContain("yyyy");
    await store.close();
  });

  it("refuses a maxEntryBytes that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new SqliteStore({ path: ":memory:", maxEntryBytes: bad })).toThrow(ConfigError);
    }
  });
});
