import type { ChatRequest } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import {
  fourProviderYaml,
  type Mocks,
  packageDir,
  sourceConditions,
  startMocks,
  tempDir,
} from "./helpers.js";

const ask = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });

let mocks: Mocks;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  mocks = await startMocks();
});
afterAll(async () => {
  // Clearing the store's namespace removes the flights' leases and logs too (same `{ns}:` prefix).
  await open[0]?.get(TOKENS.CacheStore)?.clear();
  await Promise.all(open.map((c) => c.dispose()));
  await mocks.close();
  tmp.remove();
});

async function containerFrom(yaml: string): Promise<LLMContainer> {
  const file = tmp.write(`llm-${open.length}.yaml`, yaml);
  const c = await createLLMContainer({
    config: { files: [file], env: {} },
    baseDir: packageDir,
    conditions: sourceConditions,
  });
  open.push(c);
  return c;
}

const namespace = `llm-di-coalesce-${process.pid}-${Date.now()}`;
const redisYaml = (coalesce: string) =>
  fourProviderYaml(mocks).replace(
    "l2: { type: none }",
    `l2: { type: redis, url: "redis://127.0.0.1:6379", namespace: ${namespace}${coalesce} }`,
  );

describe("cache.l2.coalesce", () => {
  it("makes one upstream call for identical misses in two containers sharing a Redis L2", async () => {
    const a = await containerFrom(redisYaml(""));
    const b = await containerFrom(redisYaml(""));
    expect(a.get(TOKENS.FlightCoordinator)?.name).toBe("redis");
    const outcomes: string[] = [];
    for (const c of [a, b])
      c.get(TOKENS.Hooks).hook("onCacheFlight", ({ outcome }) => {
        outcomes.push(outcome);
      });
    mocks.anthropic.setLatency({ headersMs: 300 });
    try {
      const answers = await Promise.all(
        [a, b].flatMap((c) =>
          Array.from({ length: 10 }, () => c.clients.get("careful").generate(ask("coalesce me"))),
        ),
      );
      expect(new Set(answers.map((r) => r.text)).size).toBe(1);
      expect(mocks.anthropic.requests).toHaveLength(1);
      // One claim per container (its own callers coalesce in-process first): one led, one served.
      expect(outcomes.sort()).toEqual(["led", "served"]);
      const flights = [a, b].map((c) => c.get(TOKENS.CacheMiddleware)?.stats().flights);
      expect(flights.map((f) => f?.led).sort()).toEqual([0, 1]);
      expect(flights.map((f) => f?.served).sort()).toEqual([0, 1]);
    } finally {
      mocks.anthropic.setLatency(undefined);
    }
  });

  it("is absent when turned off, and for an L2 other than Redis", async () => {
    const off = await containerFrom(redisYaml(", coalesce: { enabled: false }"));
    expect(off.get(TOKENS.FlightCoordinator)).toBeUndefined();
    const none = await containerFrom(fourProviderYaml(mocks));
    expect(none.get(TOKENS.FlightCoordinator)).toBeUndefined();
  });
});
