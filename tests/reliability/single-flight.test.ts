import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FlightProcess,
  flightProcess,
  flightRequest,
  watchStream,
} from "./support/flight-process.js";
import { freePort, PrivateRedis } from "./support/redis-server.js";
import { watchUnhandled } from "./support/unhandled.js";

/**
 * Cross-process single-flight under failure, on a private Redis: a leader
 * process SIGKILLed mid-stream, and Redis itself killed and restarted while a
 * lease is held. Whatever happens, every caller gets the whole answer exactly
 * once — never an error, never a repeated event.
 */
const ANSWER = Array.from({ length: 60 }, (_, i) => `token${i}`).join(" ");
const NAMESPACE = `reliability-flight-${process.pid}`;

let redis: PrivateRedis;
let mock: MockProvider;
const processes: FlightProcess[] = [];

beforeAll(async () => {
  redis = new PrivateRedis(await freePort());
  await redis.start();
  mock = await startMockProvider({ provider: "openai", chunkSize: 4 });
  mock.when(() => true, { text: ANSWER });
});

afterAll(async () => {
  await Promise.all(processes.map((p) => p.close().catch(() => undefined)));
  await redis?.kill();
  await mock?.close();
});

async function followers(count: number, leaseMs: number): Promise<FlightProcess[]> {
  const made = await Promise.all(
    Array.from({ length: count }, () => flightProcess(redis.url, NAMESPACE, mock.baseURL, leaseMs)),
  );
  processes.push(...made);
  return made;
}

const burst = (procs: FlightProcess[], label: string, callers: number) =>
  Promise.all(
    procs.flatMap((p) =>
      Array.from({ length: callers }, () => watchStream(p.client.stream(flightRequest(label)))),
    ),
  );

function expectWhole(results: { text: string; starts: number; finishes: number }[]): void {
  for (const result of results) expect(result).toEqual({ text: ANSWER, starts: 1, finishes: 1 });
}

describe("cross-process single-flight under failure", () => {
  it("answers every follower once when the leader process is SIGKILLed mid-stream", async () => {
    const unhandled = watchUnhandled();
    mock.reset();
    mock.when(() => true, { text: ANSWER });
    mock.setLatency({ chunkMs: 40 });
    try {
      const procs = await followers(3, 500);
      const child = spawn(
        process.execPath,
        [
          "--conditions=@llm/source",
          "--import",
          "tsx",
          fileURLToPath(new URL("./support/flight-child.ts", import.meta.url)),
          redis.url,
          NAMESPACE,
          mock.baseURL,
          "crash",
          "500",
        ],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("first")) resolve();
        });
        child.once("exit", () => reject(new Error("the leader exited before streaming")));
      });
      const answers = burst(procs, "crash", 20);
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill("SIGKILL");
      await exited;
      const results = await answers;
      expect(results).toHaveLength(60);
      expectWhole(results);
      // The dead leader's call, and the one the follower that took over made.
      expect(mock.requests).toHaveLength(2);
      expect(unhandled.errors).toEqual([]);
    } finally {
      mock.setLatency(undefined);
      unhandled.stop();
    }
  });

  it("answers every caller once when Redis is killed and restarted during a lease", async () => {
    const unhandled = watchUnhandled();
    mock.reset();
    mock.when(() => true, { text: ANSWER });
    mock.setLatency({ chunkMs: 30 });
    try {
      const procs = await followers(3, 2_000);
      const answers = burst(procs, "restart", 15);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await redis.kill();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await redis.start();
      const results = await answers;
      expect(results).toHaveLength(45);
      expectWhole(results);
      // Without Redis each process may call for itself, but never more than once per process.
      expect(mock.requests.length).toBeGreaterThanOrEqual(1);
      expect(mock.requests.length).toBeLessThanOrEqual(3);

      // Once Redis is back (empty, as after a real restart), processes coalesce again.
      mock.reset();
      mock.when(() => true, { text: ANSWER });
      await waitForCoordination(procs);
      const again = await burst(procs, "after restart", 10);
      expectWhole(again);
      expect(mock.requests).toHaveLength(1);
      expect(unhandled.errors).toEqual([]);
    } finally {
      mock.setLatency(undefined);
      unhandled.stop();
    }
  });
});

/** Every process's coordinator can claim again (its connection is back). */
async function waitForCoordination(procs: FlightProcess[]): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await Promise.all(
      procs.map((p, i) =>
        p.coordinator.claim(`probe-${attempt}-${i}`).then(
          async (claim) => {
            if (claim.role === "leader") await claim.lease.complete(false);
            return true;
          },
          () => false,
        ),
      ),
    );
    if (ok.every(Boolean)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the coordinators never reconnected");
}
