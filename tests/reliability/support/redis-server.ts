import type { ChildProcess } from "node:child_process";
import { startPrivateRedis, stopPrivateRedis } from "@llm/cache-redis/testing";

export { freePort } from "@llm/cache-redis/testing";

/**
 * A private, throw-away `redis-server` on its own port (see `@llm/cache-redis/testing`):
 * no persistence, so a restart comes back empty, exactly like a cache node that was
 * replaced. Never the shared instance on 6379. Restartable on the same port.
 */
export class PrivateRedis {
  #child: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.#child = await startPrivateRedis(this.port);
  }

  /** SIGKILL: the server vanishes mid-command, as in a crash. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child) await stopPrivateRedis(child);
  }
}
