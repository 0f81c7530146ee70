import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SmartCache, TieredCache } from "@llm/cache";
import { waitUntil } from "@llm/cache/testing";
import { afterAll, describe, expect, it } from "vitest";
import { RedisStore } from "../src/redis-store.js";
import { dropNamespace, SHARED_REDIS, uniqueNamespace } from "./redis-helpers.js";

const namespaces: string[] = [];
const opened: TieredCache<string>[] = [];

async function processCache(namespace: string) {
  const store = new RedisStore({ url: SHARED_REDIS, namespace });
  await store.ready();
  const l1 = new SmartCache<string>({ maxEntries: 1_000 });
  const cache = new TieredCache<string>({ l1, l2: store });
  opened.push(cache);
  return { cache, l1 };
}

afterAll(async () => {
  for (const cache of opened) await cache.close();
  for (const ns of namespaces) await dropNamespace(ns);
});

describe("two processes on one Redis (in one test process)", () => {
  it("serves A's answer to B as an L2 hit", async () => {
    const namespace = uniqueNamespace("ab");
    namespaces.push(namespace);
    const a = await processCache(namespace);
    const b = await processCache(namespace);
    await a.cache.set("question", "answer from A");
    expect(await b.cache.lookup("question")).toMatchObject({ value: "answer from A", level: "l2" });
    expect(await b.cache.lookup("question")).toMatchObject({ level: "l1" });
  });

  it("evicts B's L1 when A invalidates a key, a prefix, a tag or everything", async () => {
    const namespace = uniqueNamespace("inv");
    namespaces.push(namespace);
    const a = await processCache(namespace);
    const b = await processCache(namespace);
    await a.cache.set("k", "1");
    await a.cache.set("p:1", "2");
    await a.cache.set("t", "3", { tags: ["tag"] });
    await a.cache.set("rest", "4");
    for (const key of ["k", "p:1", "t", "rest"]) await b.cache.get(key);
    expect(b.l1.size).toBe(4);

    await a.cache.delete("k");
    await waitUntil(() => !b.l1.has("k"));
    await a.cache.invalidatePrefix("p:");
    await waitUntil(() => !b.l1.has("p:1"));
    await a.cache.invalidateTag("tag");
    await waitUntil(() => !b.l1.has("t"));
    expect(b.l1.has("rest")).toBe(true);
    await a.cache.clear();
    await waitUntil(() => b.l1.size === 0);
    expect(b.cache.stats().remoteInvalidations).toBe(4);
    // A's own L1 was invalidated directly; its own messages were ignored.
    expect(a.cache.stats().remoteInvalidations).toBe(0);
  });
});

describe("two real processes on one Redis", () => {
  it("shares answers and invalidations with a child process", async () => {
    const namespace = uniqueNamespace("child");
    namespaces.push(namespace);
    const parent = await processCache(namespace);
    const child = await startChild(namespace);
    try {
      await parent.cache.set("question", "answer from the parent");
      expect(await child.send({ op: "get", key: "question" })).toMatchObject({
        value: "answer from the parent",
        level: "l2",
      });
      expect(await child.send({ op: "l1has", key: "question" })).toBe(true);

      await parent.cache.delete("question");
      await waitUntil(async () => (await child.send({ op: "l1has", key: "question" })) === false);

      await child.send({ op: "set", key: "from-child", value: "child answer" });
      expect(await parent.cache.lookup("from-child")).toMatchObject({
        value: "child answer",
        level: "l2",
      });
      await child.send({ op: "delete", key: "from-child" });
      await waitUntil(() => !parent.l1.has("from-child"));
    } finally {
      await child.stop();
    }
  });
});

async function startChild(namespace: string) {
  const script = fileURLToPath(new URL("./child-cache.ts", import.meta.url));
  const proc: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ["--conditions=@llm/source", "--import", "tsx", script, SHARED_REDIS, namespace],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "pipe" },
  );
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: proc.stdout });
  const waiting = new Map<number, (result: unknown) => void>();
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  lines.on("line", (line) => {
    const message = JSON.parse(line) as { id?: number; result?: unknown; ready?: boolean };
    if (message.ready) ready();
    else if (message.id !== undefined) waiting.get(message.id)?.(message.result);
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  await Promise.race([
    isReady,
    exited.then(() => {
      throw new Error(`child exited before ready: ${stderr}`);
    }),
  ]);
  let nextId = 0;
  const send = (command: { op: string; key?: string; value?: string }) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      proc.stdin.write(`${JSON.stringify({ id, ...command })}\n`);
    });
  return {
    send,
    async stop() {
      const kill = setTimeout(() => proc.kill("SIGKILL"), 3_000);
      await Promise.race([send({ op: "exit" }), exited]);
      await exited;
      clearTimeout(kill);
    },
  };
}
