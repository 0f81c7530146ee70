/**
 * A throw-away Redis Sentinel deployment for tests: one master, one replica and
 * three sentinels on free ports, made the way an operator would (`redis-server
 * --replicaof`, `redis-server <conf> --sentinel` with a generated config file
 * per sentinel). Re-exported by `@llm/cache-redis/testing`.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type PrivateRedisTLS,
  redisCliTLSArgs,
  tlsConfigLines,
  tlsServerArgs,
} from "./private-redis-tls.js";
import { freePort, startPrivateRedis, stopPrivateRedis } from "./testing.js";

export interface PrivateRedisSentinelOptions {
  /** The master group's name (`SENTINEL MONITOR <name>`). Default `"llmkit"`. */
  name?: string;
  /** `requirepass` / `masterauth` of the master and replica (and `auth-pass` of the sentinels). */
  password?: string;
  /** `requirepass` of the sentinels themselves. */
  sentinelPassword?: string;
  /** How long a silent master takes to be judged down (`down-after-milliseconds`). Default 1 000. */
  downAfterMs?: number;
  /**
   * TLS on every port (data nodes, replication, sentinels): nothing listens in
   * clear text then. The sentinels' addresses are for `rediss://`.
   */
  tls?: PrivateRedisTLS;
}

export interface PrivateRedisSentinel {
  /** The master group's name, for `new Redis({ sentinels, name })`. */
  readonly name: string;
  /** The three sentinels, for `new Redis({ sentinels, name })` / `RedisStore({ sentinel })`. */
  readonly sentinels: { host: string; port: number }[];
  /** The data nodes' ports (master first, at start). */
  readonly dataPorts: readonly number[];
  /** The port of the master the sentinels agree on right now. */
  masterPort(): Promise<number>;
  /**
   * `SENTINEL FAILOVER <name>` (a graceful switch: the replica is promoted, the
   * old master demoted), resolving once every sentinel names the new master and
   * it accepts writes. Returns the new master's port.
   */
  failover(): Promise<number>;
  /**
   * SIGKILLs the current master (a crash); resolves once the sentinels have
   * promoted the replica, with the new master's port. The killed node is then
   * restarted, empty, as the new master's replica.
   */
  killMaster(): Promise<number>;
  /** Kills every process and removes the files. */
  stop(): Promise<void>;
}

const WAIT_STEP_MS = 100;
const WAIT_LIMIT_MS = 30_000;

/**
 * Starts the deployment and resolves once all three sentinels monitor the
 * master, know its replica and each other, and `SENTINEL CKQUORUM` passes —
 * so a failover can be authorised from the first moment the caller uses it.
 */
export async function startPrivateRedisSentinel(
  options: PrivateRedisSentinelOptions = {},
): Promise<PrivateRedisSentinel> {
  const name = options.name ?? "llmkit";
  const dir = await mkdtemp(join(tmpdir(), "llm-redis-sentinel-"));
  const children = new Map<number, ChildProcess>();
  const [masterPort, replicaPort, ...sentinelPorts] = await uniquePorts(5);
  const dataPorts = [masterPort, replicaPort] as const;
  // A replica's full sync writes an RDB file even with `--save ""`: into the temp dir, not the cwd.
  const dataArgs = [
    "--dir",
    dir,
    ...(options.password === undefined
      ? []
      : ["--requirepass", options.password, "--masterauth", options.password]),
  ];
  const startData = (port: number, args: readonly string[]) =>
    startPrivateRedis(port, [...args, ...(options.tls ? tlsServerArgs(port, options.tls) : [])]);
  const stop = async () => {
    await Promise.all([...children.values()].map(stopPrivateRedis));
    await rm(dir, { recursive: true, force: true });
  };
  const cli = (port: number, password: string | undefined, ...args: string[]) =>
    redisCli(port, password, [...(options.tls ? redisCliTLSArgs(options.tls) : []), ...args]);
  const sentinelCli = (port: number, ...args: string[]) =>
    cli(port, options.sentinelPassword, "SENTINEL", ...args);
  const dataCli = (port: number, ...args: string[]) => cli(port, options.password, ...args);

  const agreedMaster = async (): Promise<number | undefined> => {
    const answers = await Promise.all(
      sentinelPorts.map((port) =>
        sentinelCli(port, "GET-MASTER-ADDR-BY-NAME", name).catch(() => ""),
      ),
    );
    const ports = new Set(answers.map((answer) => answer.trim().split("\n")[1]));
    const [port] = ports;
    return ports.size === 1 && port ? Number(port) : undefined;
  };
  const masterPortNow = async () => {
    const port = await agreedMaster();
    if (port === undefined) throw new Error("the sentinels do not agree on a master");
    return port;
  };
  /**
   * Every sentinel sees a healthy replica of the current master (link ok, not
   * down) and that replica says so too: without one, a failover has nothing to
   * promote (a demoted master still resyncing, say) and never happens.
   */
  const waitReplicated = () =>
    waitFor(`a replica of ${name} in sync`, async () => {
      const master = await agreedMaster();
      if (master === undefined) return false;
      for (const port of sentinelPorts) {
        const replicas = await sentinelCli(port, "REPLICAS", name);
        if (!hasHealthyReplica(replicas, master)) return false;
      }
      for (const port of dataPorts) {
        if (port === master || !alive(children.get(port))) continue;
        const info = await dataCli(port, "INFO", "replication");
        if (!info.includes(`master_port:${master}`) || !info.includes("master_link_status:up")) {
          return false;
        }
      }
      return true;
    });
  const startReplica = (port: number, of: number) =>
    startData(port, [...dataArgs, "--replicaof", "127.0.0.1", String(of)]);
  const switchedFrom = async (previous: number): Promise<number> => {
    let next = 0;
    await waitFor(`the sentinels to promote a new master of ${name}`, async () => {
      const port = await agreedMaster();
      if (port === undefined || port === previous) return false;
      const role = await dataCli(port, "ROLE").catch(() => "");
      next = port;
      return role.startsWith("master");
    });
    return next;
  };

  try {
    children.set(masterPort, await startData(masterPort, dataArgs));
    children.set(replicaPort, await startReplica(replicaPort, masterPort));
    await waitFor("the replica to sync", async () =>
      (await dataCli(replicaPort, "INFO", "replication")).includes("master_link_status:up"),
    );
    for (const port of sentinelPorts) {
      const file = join(dir, `sentinel-${port}.conf`);
      await writeFile(file, sentinelConfig(port, dir, name, masterPort, options));
      children.set(port, spawnSentinel(file));
    }
    // Sentinel's defaults are for production (INFO every 10 s, a demoted master left
    // alone for 4 hello periods = 8 s): shorten them so a test waits seconds, not tens.
    for (const port of sentinelPorts) {
      await waitFor("a sentinel to listen", async () =>
        (
          await sentinelCli(port, "DEBUG", "INFO-PERIOD", "1000", "PUBLISH-PERIOD", "500")
        ).startsWith("OK"),
      );
    }
    await waitFor("the sentinels to agree", async () => {
      for (const port of sentinelPorts) {
        const master = parseFlat(await sentinelCli(port, "MASTER", name).catch(() => ""));
        if (master["num-other-sentinels"] !== "2" || master["num-slaves"] !== "1") return false;
        const quorum = await sentinelCli(port, "CKQUORUM", name).catch(() => "");
        if (!quorum.startsWith("OK")) return false;
      }
      return true;
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    name,
    sentinels: sentinelPorts.map((port) => ({ host: "127.0.0.1", port })),
    dataPorts,
    masterPort: masterPortNow,
    async failover() {
      await waitReplicated();
      const previous = await masterPortNow();
      // A sentinel refuses while it still doubts the replica ("NOGOODSLAVE"); ask again until one accepts.
      await waitFor("a sentinel to accept SENTINEL FAILOVER", async () => {
        const reply = await sentinelCli(sentinelPorts[0] as number, "FAILOVER", name).catch(
          (error: Error) => error.message,
        );
        return reply.startsWith("OK");
      });
      return switchedFrom(previous);
    },
    async killMaster() {
      await waitReplicated();
      const previous = await masterPortNow();
      const child = children.get(previous);
      if (child) await stopPrivateRedis(child);
      const next = await switchedFrom(previous);
      // The crashed node comes back (empty) as a replica of the new master, as an
      // operator would bring it back. That also keeps its port ours: the sentinels
      // still know the address, and would take over any server another test
      // started on it.
      children.set(previous, await startReplica(previous, next));
      return next;
    },
    stop,
  };
}

function sentinelConfig(
  port: number,
  dir: string,
  name: string,
  masterPort: number,
  options: PrivateRedisSentinelOptions,
): string {
  return [
    ...(options.tls ? tlsConfigLines(port, options.tls) : [`port ${port}`]),
    "bind 127.0.0.1",
    `dir ${dir}`,
    `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1_000}`,
    `sentinel failover-timeout ${name} 10000`,
    `sentinel parallel-syncs ${name} 1`,
    ...(options.password === undefined ? [] : [`sentinel auth-pass ${name} ${options.password}`]),
    ...(options.sentinelPassword === undefined ? [] : [`requirepass ${options.sentinelPassword}`]),
    "",
  ].join("\n");
}

function spawnSentinel(configFile: string): ChildProcess {
  // Sentinel rewrites its config file as it learns (peers, epochs): one file per sentinel.
  const child = spawn("redis-server", [configFile, "--sentinel"], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  child.on("error", () => {});
  return child;
}

/** `freePort()` may hand the same port twice when asked concurrently: ask until they differ. */
async function uniquePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

const alive = (child: ChildProcess | undefined): boolean =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

/**
 * In `SENTINEL REPLICAS` output (one field name, then its value, per line; one
 * replica after another): a replica of `masterPort`, flagged plain `slave` (not
 * `s_down`, not `disconnected`) and reporting that role itself — after a
 * graceful failover the demoted master goes on calling itself master for a
 * while, and until it stops there is nothing to fail over to. Its link status
 * is read from the replica's own INFO (the sentinels' copy lags).
 */
function hasHealthyReplica(text: string, masterPort: number): boolean {
  const replicas = text.trim().split(/\n(?=name\n)/);
  return replicas.some((replica) => {
    const fields = parseFlat(replica);
    return (
      fields.flags === "slave" &&
      fields["role-reported"] === "slave" &&
      fields["master-port"] === String(masterPort)
    );
  });
}

/** redis-cli prints a flat key/value array one element per line. */
function parseFlat(text: string): Record<string, string> {
  const lines = text.trim().split("\n");
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < lines.length; i += 2) out[lines[i] as string] = lines[i + 1] as string;
  return out;
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

/** One `redis-cli` command; the password travels in the environment, not the argument list. */
function redisCli(port: number, password: string | undefined, args: string[]): Promise<string> {
  const env = password === undefined ? process.env : { ...process.env, REDISCLI_AUTH: password };
  return new Promise((resolve, reject) => {
    execFile(
      "redis-cli",
      ["-p", String(port), ...args],
      { timeout: 10_000, env },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`redis-cli ${args.join(" ")} on ${port}: ${stderr || error.message}`))
          : resolve(stdout),
    );
  });
}
