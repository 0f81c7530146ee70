import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropNamespace, SHARED_REDIS, uniqueNamespace } from "./redis-helpers.js";

const ANSWER = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");

interface ChildReport {
  results: { text: string; types: string[]; error?: string }[];
  stats: { upstreamCalls: number };
  flights: { led: number; followed: number; tookOver: number };
}

const namespaces: string[] = [];
let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai", chunkSize: 3 });
});

afterAll(async () => {
  await mock?.close();
  for (const ns of namespaces) await dropNamespace(ns);
});

function freshNamespace(label: string): string {
  const namespace = uniqueNamespace(label);
  namespaces.push(namespace);
  mock.reset();
  mock.when(() => true, { text: ANSWER });
  return namespace;
}

describe("single-flight across real processes", () => {
  it("makes one upstream call for 4 processes × 50 identical generate calls", async () => {
    const namespace = freshNamespace("sf-gen");
    mock.setLatency({ headersMs: 300 });
    const children = await Promise.all(
      Array.from({ length: 4 }, () => startChild(namespace, 50, "generate", 5_000)),
    );
    for (const child of children) child.go();
    const reports = await Promise.all(children.map((child) => child.report));
    mock.setLatency(undefined);

    // One call; see `takeOvers` for the only other call allowed.
    expect(mock.requests.length).toBe(1 + takeOvers(reports));
    const texts = reports.flatMap((r) => r.results.map((result) => result.text));
    expect(texts).toHaveLength(200);
    expect(new Set(texts)).toEqual(new Set([ANSWER]));
    expect(reports.reduce((sum, r) => sum + r.stats.upstreamCalls, 0)).toBe(mock.requests.length);
    expect(reports.reduce((sum, r) => sum + r.flights.led, 0)).toBe(1);
  });

  it("relays one streamed call to 4 processes × 50 callers, event for event", async () => {
    const namespace = freshNamespace("sf-stream");
    mock.setLatency({ headersMs: 200, chunkMs: 5 });
    const children = await Promise.all(
      Array.from({ length: 4 }, () => startChild(namespace, 50, "stream", 5_000)),
    );
    for (const child of children) child.go();
    const reports = await Promise.all(children.map((child) => child.report));
    mock.setLatency(undefined);

    expect(mock.requests.length).toBe(1 + takeOvers(reports));
    for (const report of reports) {
      for (const result of report.results) {
        expect(result.text).toBe(ANSWER);
        expect(result.types.filter((type) => type === "start")).toHaveLength(1);
        expect(result.types.at(-1)).toBe("finish");
      }
    }
  });

  // Child processes, a lease to expire and slow frames: generous on a loaded machine.
  it("answers every follower once, without repeats, when the leader is killed mid-stream", {
    timeout: 60_000,
  }, async () => {
    const namespace = freshNamespace("sf-kill");
    // Slow frames: the leader is still streaming when it is killed.
    mock.setLatency({ chunkMs: 60 });
    const [leader, ...followers] = await Promise.all(
      Array.from({ length: 4 }, (_, i) => startChild(namespace, i === 0 ? 5 : 10, "stream", 1_500)),
    );
    leader!.go();
    await leader!.first;
    for (const follower of followers) follower.go();
    // Every follower has shown its callers part of the leader's stream.
    await Promise.all(followers.map((follower) => follower.first));
    leader!.kill();
    const reports = await Promise.all(followers.map((follower) => follower.report));
    mock.setLatency(undefined);

    // The leader's call, and one call per lease take-over: normally one, but a new leader
    // starved of CPU past its lease (a loaded CI machine) is rightly replaced in turn. Every
    // upstream call must be accounted for by a take-over, never by a follower calling on its own.
    expect(takeOvers(reports)).toBeGreaterThanOrEqual(1);
    expect(mock.requests.length).toBe(1 + takeOvers(reports));
    for (const report of reports) {
      for (const result of report.results) {
        expect(result.error).toBeUndefined();
        expect(result.text).toBe(ANSWER);
        expect(result.types.filter((type) => type === "start")).toHaveLength(1);
        expect(result.types.filter((type) => type === "finish")).toHaveLength(1);
      }
    }
  });
});

/**
 * Lease take-overs across the children. On a quiet machine there are none (the killed-leader
 * test has one): each is one more upstream call, by design, when a leader is starved of CPU past
 * its lease — a loaded CI machine does that. What the tests pin is that no upstream call goes
 * unaccounted for: never a follower calling on its own.
 */
function takeOvers(reports: ReadonlyArray<{ flights: { tookOver: number } }>): number {
  return reports.reduce((sum, r) => sum + r.flights.tookOver, 0);
}

async function startChild(
  namespace: string,
  count: number,
  mode: "generate" | "stream",
  leaseMs: number,
) {
  const script = fileURLToPath(new URL("./child-flight.ts", import.meta.url));
  const proc: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      "--conditions=@llm/source",
      "--import",
      "tsx",
      script,
      SHARED_REDIS,
      namespace,
      mock.baseURL,
      String(count),
      mode,
      String(leaseMs),
    ],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "pipe" },
  );
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const lines = createInterface({ input: proc.stdout });
  let onReady!: () => void;
  let onFirst!: () => void;
  let onReport!: (report: ChildReport) => void;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const first = new Promise<void>((resolve) => {
    onFirst = resolve;
  });
  const report = new Promise<ChildReport>((resolve, reject) => {
    onReport = resolve;
    void exited.then(() => reject(new Error(`child exited without a report: ${stderr}`)));
  });
  // A killed child never reports: its rejection is expected and not awaited.
  report.catch(() => undefined);
  lines.on("line", (line) => {
    const message = JSON.parse(line) as { ready?: true; first?: true } & Partial<ChildReport>;
    if (message.ready) onReady();
    else if (message.first) onFirst();
    else if (message.results) onReport(message as ChildReport);
  });
  await Promise.race([
    ready,
    exited.then(() => {
      throw new Error(`child exited before ready: ${stderr}`);
    }),
  ]);
  return {
    go: () => proc.stdin.write("go\n"),
    first,
    report,
    kill: () => proc.kill("SIGKILL"),
  };
}
