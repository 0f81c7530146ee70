import { AbortError, type StreamEvent, settleWithin } from "@llm/core";
import type {
  FlightClaim,
  FlightCoordinator,
  FlightLease,
  FollowSignal,
} from "./flight-coordinator.js";

export interface MemoryFlightCoordinatorOptions {
  /** Longest a follower waits for its leader, ms. Default 60 000. */
  maxWaitMs?: number;
  /** Events relayed per flight; beyond it followers read the stored answer. Default 10 000. */
  maxEvents?: number;
}

type LogEntry =
  | { type: "start"; token: number }
  | { type: "event"; token: number; event: StreamEvent }
  | { type: "truncated"; token: number }
  | { type: "done"; token: number; stored: boolean }
  | { type: "abandoned"; token: number };

/** One key's log: what its leaders did, in order; `wake` tells waiting followers. */
class Log {
  readonly entries: LogEntry[] = [];
  holder: number | undefined;
  #wake: (() => void) | undefined;
  #changed: Promise<void> = this.#next();

  append(entry: LogEntry): void {
    this.entries.push(entry);
    const wake = this.#wake;
    this.#changed = this.#next();
    wake?.();
  }

  get changed(): Promise<void> {
    return this.#changed;
  }

  #next(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }
}

/**
 * The `FlightCoordinator` protocol inside one process: caches that share an
 * L2 but not a middleware (several containers, workers' tests) make one
 * upstream call per key. The same protocol as `RedisFlightCoordinator` —
 * token-fenced lease, a log replayed from its start, hand-over on abandon,
 * bounded waits — without expiry, since a process cannot outlive itself.
 */
export class MemoryFlightCoordinator implements FlightCoordinator {
  readonly name = "memory";
  readonly #logs = new Map<string, Log>();
  readonly #maxWaitMs: number;
  readonly #maxEvents: number;
  #tokens = 0;

  constructor(options: MemoryFlightCoordinatorOptions = {}) {
    this.#maxWaitMs = options.maxWaitMs ?? 60_000;
    this.#maxEvents = options.maxEvents ?? 10_000;
  }

  async claim(key: string): Promise<FlightClaim> {
    const log = this.#logs.get(key);
    const last = log?.entries.at(-1);
    if (log?.holder === undefined && last?.type === "done" && last.stored) return { role: "done" };
    const lease = this.#lease(key);
    if (lease !== undefined) return { role: "leader", lease };
    return { role: "follower", follower: { watch: (signal) => this.#watch(key, signal) } };
  }

  /** A new lease on `key` if nobody holds it, with a new log (followers of the old one move over). */
  #lease(key: string): FlightLease | undefined {
    if (this.#logs.get(key)?.holder !== undefined) return undefined;
    const token = ++this.#tokens;
    const log = new Log();
    this.#logs.set(key, log);
    log.holder = token;
    log.append({ type: "start", token });
    let relayed = 0;
    let truncated = false;
    const held = () => log.holder === token;
    const finish = async (entry: LogEntry) => {
      if (!held()) return;
      log.holder = undefined;
      log.append(entry);
      // Nothing is waiting and nothing was stored: forget the key.
      if (entry.type !== "done" || !entry.stored) queueMicrotask(() => this.#forget(key, log));
    };
    return {
      get held() {
        return held();
      },
      publish: (event) => {
        if (!held() || truncated || event.type === "error") return;
        if (++relayed > this.#maxEvents) {
          truncated = true;
          log.append({ type: "truncated", token });
          return;
        }
        log.append({ type: "event", token, event });
      },
      complete: (stored) => finish({ type: "done", token, stored }),
      abandon: () => finish({ type: "abandoned", token }),
    };
  }

  #forget(key: string, log: Log): void {
    if (this.#logs.get(key) === log && log.holder === undefined) this.#logs.delete(key);
  }

  async *#watch(key: string, signal: AbortSignal | undefined): AsyncGenerator<FollowSignal> {
    const deadline = Date.now() + this.#maxWaitMs;
    let log = this.#logs.get(key);
    let index = 0;
    let token: number | undefined;
    while (log !== undefined) {
      while (log !== undefined && index < log.entries.length) {
        const entry = log.entries[index++]!;
        if (entry.type === "start") {
          if (token !== undefined && entry.token !== token) yield { type: "restart" };
          token = entry.token;
          continue;
        }
        if (entry.token !== token) continue;
        switch (entry.type) {
          case "event":
            yield { type: "event", event: entry.event };
            break;
          case "truncated":
            yield { type: "truncated" };
            break;
          case "done":
            yield { type: "done", stored: entry.stored };
            return;
          case "abandoned": {
            const lease = this.#lease(key);
            if (lease !== undefined) {
              yield { type: "takeover", lease };
              return;
            }
            // Somebody else took over: follow their log from its start.
            log = this.#logs.get(key);
            index = 0;
            continue;
          }
        }
      }
      if (log === undefined) break;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        yield { type: "give-up", reason: "timeout" };
        return;
      }
      await waitFor(log.changed, remaining, signal);
    }
    yield { type: "give-up", reason: "unavailable" };
  }
}

/** `changed`, or the deadline (which resolves too: the caller looks again), or an abort (which throws). */
function waitFor(
  changed: Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  return settleWithin(changed, {
    timeoutMs: ms,
    onTimeout: () => undefined,
    signal,
    onAbort: (aborted): never => {
      throw abortError(aborted);
    },
  });
}

function abortError(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason;
  return reason instanceof AbortError
    ? reason
    : new AbortError("The request was aborted", { cause: reason });
}
