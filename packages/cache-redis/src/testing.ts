/**
 * `@llm/cache-redis/testing`: a private, throw-away `redis-server` (or Redis Cluster) for
 * tests that kill and restart Redis or need a cluster — never the shared instance a suite
 * may also use. One implementation for this package's tests, @llm/di's, @llm/ratelimit's
 * and the reliability suite's.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `redis-server` on `port` with no persistence (a restart comes back empty, like a
 * replaced cache node) and resolves once it accepts connections.
 */
export async function startPrivateRedis(
  port: number,
  extraArgs: readonly string[] = [],
): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      ...extraArgs,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** SIGKILL: the server vanishes mid-command, as in a crash. Resolves once it has exited. */
export async function stopPrivateRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

export interface PrivateRedisCluster {
  /** Startup nodes for `new Cluster(nodes)` / `RedisStore({ cluster })`. */
  readonly nodes: { host: string; port: number }[];
  /** Kills every node and removes their files. */
  stop(): Promise<void>;
}

/**
 * A throw-away Redis Cluster of `size` primaries (no replicas) on free ports,
 * made the way an operator would: `redis-server --cluster-enabled yes` per node,
 * then `redis-cli --cluster create`. Resolves once every slot is served.
 */
export async function startPrivateRedisCluster(size = 3): Promise<PrivateRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), "llm-redis-cluster-"));
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopPrivateRedis));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      children.push(
        await startPrivateRedis(port, [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(dir, `nodes-${port}.conf`),
          "--cluster-node-timeout",
          "2000",
        ]),
      );
    }
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((port) => `127.0.0.1:${port}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    // `create` returns once slots are assigned; wait until every node agrees the cluster is up.
    for (const port of ports) {
      for (let attempt = 0; ; attempt++) {
        const info = await run("redis-cli", ["-p", String(port), "cluster", "info"]);
        if (info.includes("cluster_state:ok")) break;
        if (attempt > 100) throw new Error(`cluster node ${port} never reached cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: ports.map((port) => ({ host: "127.0.0.1", port })), stop };
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 30_000 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${command} ${args.join(" ")}: ${stderr || error.message}`))
        : resolve(stdout),
    );
  });
}

export {
  createTestCertificates,
  type TestCertificates,
} from "@llm/redis-connection/testing";
export {
  type PrivateRedisSentinel,
  type PrivateRedisSentinelOptions,
  startPrivateRedisSentinel,
} from "./private-redis-sentinel.js";
export { type PrivateRedisTLS, redisCliTLSArgs, tlsServerArgs } from "./private-redis-tls.js";
