import { execFileSync } from "node:child_process";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageDir, runFixture, tempDir } from "./helpers.js";

/**
 * Issue #11 item 1 across processes: containers in separate processes share
 * one Redis L2. Same client config → the second process is answered from
 * Redis; another tenant's server or a wrong key → never.
 */

const KEY_A = "sk-tenant-a-0123456789abcdef";
const KEY_B = "sk-tenant-b-0123456789abcdef";
const namespace = `llm-di-scope-${process.pid}-${Date.now().toString(36)}`;

let serverA: MockProvider;
let serverB: MockProvider;
let config: string;
const tmp = tempDir();

beforeAll(async () => {
  serverA = await startMockProvider({ provider: "openai", apiKey: KEY_A });
  serverB = await startMockProvider({ provider: "openai", apiKey: KEY_B });
  const client = (server: MockProvider, key: string, cache = "") =>
    `    provider: openai\n    model: gpt-4o-mini\n    apiKey: ${key}\n    baseURL: ${server.baseURL}\n${cache}`;
  config = tmp.write(
    "llm.yaml",
    [
      "clients:",
      "  tenantA:",
      client(serverA, KEY_A, "    cache: { namespace: tenant-a }\n"),
      "  tenantB:",
      client(serverB, KEY_B, "    cache: { namespace: tenant-a }\n"),
      "  wrongKey:",
      client(serverA, KEY_B, "    cache: { namespace: tenant-a }\n"),
      "cache:",
      "  scope: credential",
      "  scopeSecret: shared-scope-secret-0123456789",
      `  l2: { type: redis, url: "redis://127.0.0.1:6379", namespace: ${namespace} }`,
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await Promise.all([serverA.close(), serverB.close()]);
  tmp.remove();
  dropNamespace();
});

/** Deletes this run's keys (SCAN, never KEYS). */
function dropNamespace(): void {
  const keys = execFileSync(
    "redis-cli",
    ["-h", "127.0.0.1", "--scan", "--pattern", `{${namespace}}:*`],
    { encoding: "utf8" },
  )
    .split("\n")
    .filter(Boolean);
  if (keys.length > 0) execFileSync("redis-cli", ["-h", "127.0.0.1", "del", ...keys]);
}

interface Answer {
  ok: boolean;
  origin?: string;
  text?: string;
  code?: string;
}

/** One question in a fresh process; async spawn, since the servers live in this one. */
async function askInChild(client: string, question: string): Promise<Answer> {
  const { status, stdout, stderr } = await runFixture("ask-once.ts", [
    config,
    packageDir,
    client,
    question,
  ]);
  expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Answer;
}

// Each test spawns Node processes that load the container from source: slow on a loaded machine.
describe("cache scope across processes sharing Redis", { timeout: 90_000 }, () => {
  it("answers the same client config in a second process from Redis", async () => {
    const first = await askInChild("tenantA", "What is in the contract?");
    const second = await askInChild("tenantA", "What is in the contract?");
    expect(first).toMatchObject({ ok: true, origin: "upstream" });
    expect(second).toEqual({ ok: true, origin: "cache", text: first.text });
    expect(serverA.requests).toHaveLength(1);
  });

  it("sends another tenant's identical question to its own server", async () => {
    await askInChild("tenantA", "Who are our customers?");
    const other = await askInChild("tenantB", "Who are our customers?");
    expect(other).toMatchObject({ ok: true, origin: "upstream" });
    expect(serverB.requests).toHaveLength(1);
  });

  it("gives a wrong key the server's 401, not the cached answer", async () => {
    await askInChild("tenantA", "What is the launch date?");
    const wrong = await askInChild("wrongKey", "What is the launch date?");
    expect(wrong).toEqual({ ok: false, code: "AUTHENTICATION" });
  });
});
