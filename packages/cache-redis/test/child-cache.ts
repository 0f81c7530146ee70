/**
 * A second, real process for the cross-process tests: a TieredCache over a
 * RedisStore, driven by one JSON command per stdin line, answering one JSON
 * line per command on stdout. Usage: child-cache.ts <redis-url> <namespace>
 */
import { createInterface } from "node:readline";
import { SmartCache, TieredCache } from "@llm/cache";
import { RedisStore } from "../src/redis-store.js";

const [url, namespace] = process.argv.slice(2) as [string, string];
const store = new RedisStore({ url, namespace });
const l1 = new SmartCache<string>({ maxEntries: 1_000 });
const cache = new TieredCache<string>({ l1, l2: store });

interface Command {
  id: number;
  op: "get" | "set" | "delete" | "l1has" | "stats" | "exit";
  key?: string;
  value?: string;
}

await store.ready();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as Command;
  let result: unknown;
  switch (command.op) {
    case "get":
      result = (await cache.lookup(command.key!)) ?? null;
      break;
    case "set":
      await cache.set(command.key!, command.value!);
      result = true;
      break;
    case "delete":
      result = await cache.delete(command.key!);
      break;
    case "l1has":
      result = l1.has(command.key!);
      break;
    case "stats":
      result = cache.stats();
      break;
    case "exit":
      await cache.close();
      process.stdout.write(`${JSON.stringify({ id: command.id, result: true })}\n`);
      process.exit(0);
  }
  process.stdout.write(`${JSON.stringify({ id: command.id, result })}\n`);
}
