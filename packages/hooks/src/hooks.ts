import { settleWithin } from "@llm/core";
import { HookError, HookTimeoutError } from "./hook-errors.js";
import type { HookHandler, HookName, HookPayload } from "./hook-map.js";
import { type Orderable, orderHandlers } from "./order-handlers.js";
import { foldSeriesResult } from "./series-folds.js";

export type HookErrorPolicy = "isolate" | "propagate";

export interface HookOptions {
  /** Names this handler for `before` / `after` constraints and error reports. */
  name?: string;
  /** Higher runs earlier. Default 0. */
  priority?: number;
  /** Run before the handlers with these names. */
  before?: string[];
  /** Run after the handlers with these names. */
  after?: string[];
  /** Longest an async handler may take. Default: the `Hooks` default (none). */
  timeoutMs?: number;
  /** `isolate` (default): report and carry on. `propagate`: the caller gets the error. */
  onError?: HookErrorPolicy;
}

export interface HooksOptions {
  defaultTimeoutMs?: number;
  defaultErrorPolicy?: HookErrorPolicy;
}

export interface HandlerInfo {
  readonly name: string;
  readonly priority: number;
}

interface Registration extends Orderable {
  readonly handler: (payload: unknown) => unknown;
  readonly timeoutMs: number | undefined;
  readonly policy: HookErrorPolicy;
}

type ErrorListener = (error: HookError) => void;

const EMPTY: readonly Registration[] = Object.freeze([]);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === "object" || typeof value === "function") &&
  typeof (value as { then?: unknown }).then === "function";

/**
 * Typed, ordered hook points (after unjs `hookable`).
 *
 * Dispatch is synchronous for as long as handlers are: with no handler a
 * call returns its payload at once, and a chain of sync handlers never
 * allocates a promise. The order is computed when a handler is registered,
 * never per call.
 */
export class Hooks {
  // "No handler" is the hot case, so the lookup must be the cheapest V8 has:
  // a plain field (a `#private` brand check costs measurably on a ~5 ns path)
  // holding a fast-mode object. Entries are set to `undefined`, never
  // deleted (delete drops the object into slow dictionary mode); Object.hasOwn
  // keeps prototype names such as "toString" from reading as handlers.
  private readonly handlersByName: Record<string, readonly Registration[] | undefined> = {};
  readonly #errorListeners = new Set<ErrorListener>();
  readonly #defaults: Required<HooksOptions>;
  #seq = 0;

  constructor(options: HooksOptions = {}) {
    this.#defaults = {
      defaultTimeoutMs: options.defaultTimeoutMs ?? 0,
      defaultErrorPolicy: options.defaultErrorPolicy ?? "isolate",
    };
  }

  /** Registers a handler; returns the function that removes it. */
  hook<K extends HookName>(
    name: K,
    handler: HookHandler<K>,
    options: HookOptions = {},
  ): () => void {
    const seq = this.#seq++;
    const registration: Registration = {
      name: options.name ?? `${name}#${seq}`,
      priority: options.priority ?? 0,
      seq,
      before: options.before ?? [],
      after: options.after ?? [],
      handler: handler as (payload: unknown) => unknown,
      timeoutMs: options.timeoutMs ?? (this.#defaults.defaultTimeoutMs || undefined),
      policy: options.onError ?? this.#defaults.defaultErrorPolicy,
    };
    const current = this.#list(name) ?? EMPTY;
    // orderHandlers throws on a cycle, before anything is stored.
    this.handlersByName[name] = Object.freeze(orderHandlers(name, [...current, registration]));
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const list = (this.#list(name) ?? EMPTY).filter((r) => r !== registration);
      this.handlersByName[name] = list.length === 0 ? undefined : Object.freeze(list);
    };
  }

  /** Registers a handler that removes itself after its first call. */
  hookOnce<K extends HookName>(
    name: K,
    handler: HookHandler<K>,
    options: HookOptions = {},
  ): () => void {
    const dispose = this.hook(
      name,
      ((payload: HookPayload<K>) => {
        dispose();
        return handler(payload);
      }) as HookHandler<K>,
      options,
    );
    return dispose;
  }

  has(name: HookName): boolean {
    return this.#list(name) !== undefined;
  }

  /** Handlers of a hook point in the order they run. */
  handlers(name: HookName): HandlerInfo[] {
    return (this.#list(name) ?? EMPTY).map(({ name: n, priority }) => ({ name: n, priority }));
  }

  /** Listens to isolated handler failures (errors and timeouts). */
  onHandlerError(listener: ErrorListener): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  removeAll(name?: HookName): void {
    if (name !== undefined) this.handlersByName[name] = undefined;
    else for (const key of Object.keys(this.handlersByName)) this.handlersByName[key] = undefined;
  }

  /**
   * Series (waterfall): handlers run one after another; a handler's
   * non-`undefined` result is folded into the payload the next one sees.
   * Returns the final payload — synchronously when every handler was sync.
   */
  callHook<K extends HookName>(
    name: K,
    payload: HookPayload<K>,
  ): HookPayload<K> | Promise<HookPayload<K>> {
    const list = this.#list(name);
    if (list === undefined) return payload;
    return this.#series(name, list, 0, payload) as HookPayload<K> | Promise<HookPayload<K>>;
  }

  /** Parallel: all handlers start at once; resolves when all settled. */
  callHookParallel<K extends HookName>(name: K, payload: HookPayload<K>): void | Promise<void> {
    const list = this.#list(name);
    if (list === undefined) return;
    let pending: Promise<unknown>[] | undefined;
    for (const registration of list) {
      const outcome = this.#invoke(name, registration, payload);
      if (!isThenable(outcome)) continue;
      pending ??= [];
      pending.push(Promise.resolve(outcome));
    }
    if (pending) return Promise.all(pending).then(() => undefined);
  }

  /**
   * Fire-and-forget, for notifications nobody awaits (retries, fallbacks,
   * cache hits, config changes): every handler starts, as in parallel mode,
   * and nothing is returned. A handler that throws, rejects or times out is
   * reported to the `onHandlerError` listeners — also one registered with
   * `onError: "propagate"`, since there is no caller here to propagate to. So a
   * notification can never become an unhandled rejection, nor stop the
   * handlers after the failing one.
   */
  notify<K extends HookName>(name: K, payload: HookPayload<K>): void {
    const list = this.#list(name);
    if (list === undefined) return;
    for (const registration of list) {
      let outcome: unknown;
      try {
        outcome = this.#invoke(name, registration, payload);
      } catch (error) {
        this.#report(toHookError(name, registration, error));
        continue;
      }
      if (isThenable(outcome)) {
        Promise.resolve(outcome).then(undefined, (error: unknown) =>
          this.#report(toHookError(name, registration, error)),
        );
      }
    }
  }

  /** Bail: handlers run in order until one returns something other than `undefined`. */
  callHookBail<K extends HookName, R = unknown>(
    name: K,
    payload: HookPayload<K>,
  ): R | undefined | Promise<R | undefined> {
    const list = this.#list(name);
    if (list === undefined) return undefined;
    return this.#bail(name, list, 0, payload) as R | undefined | Promise<R | undefined>;
  }

  #list(name: string): readonly Registration[] | undefined {
    const list = this.handlersByName[name];
    return list !== undefined && Object.hasOwn(this.handlersByName, name) ? list : undefined;
  }

  #series(name: string, list: readonly Registration[], from: number, payload: unknown): unknown {
    let current = payload;
    for (let i = from; i < list.length; i++) {
      const outcome = this.#invoke(name, list[i]!, current);
      if (isThenable(outcome)) {
        return Promise.resolve(outcome).then((result) =>
          this.#series(name, list, i + 1, foldSeriesResult(name, current, result)),
        );
      }
      current = foldSeriesResult(name, current, outcome);
    }
    return current;
  }

  #bail(name: string, list: readonly Registration[], from: number, payload: unknown): unknown {
    for (let i = from; i < list.length; i++) {
      const outcome = this.#invoke(name, list[i]!, payload);
      if (isThenable(outcome)) {
        return Promise.resolve(outcome).then((result) =>
          result !== undefined ? result : this.#bail(name, list, i + 1, payload),
        );
      }
      if (outcome !== undefined) return outcome;
    }
    return undefined;
  }

  /**
   * Runs one handler under its timeout and error policy. Returns its result,
   * or `undefined` when an isolated failure was reported instead.
   */
  #invoke(name: string, registration: Registration, payload: unknown): unknown {
    let outcome: unknown;
    try {
      outcome = registration.handler(payload);
    } catch (error) {
      return this.#fail(name, registration, error);
    }
    if (!isThenable(outcome)) return outcome;
    const guarded = registration.timeoutMs
      ? withTimeout(outcome, registration.timeoutMs, name, registration.name)
      : Promise.resolve(outcome);
    return guarded.catch((error: unknown) => this.#fail(name, registration, error));
  }

  #fail(name: string, registration: Registration, error: unknown): undefined {
    const hookError = toHookError(name, registration, error);
    if (registration.policy === "propagate") throw hookError;
    this.#report(hookError);
    return undefined;
  }

  #report(hookError: HookError): void {
    for (const listener of this.#errorListeners) {
      try {
        listener(hookError);
      } catch {
        // A failing error listener must not turn an isolated failure into a crash.
      }
    }
  }
}

function toHookError(name: string, registration: Registration, error: unknown): HookError {
  if (error instanceof HookError) return error;
  return new HookError(
    name,
    registration.name,
    error instanceof Error ? error.message : String(error),
    error,
  );
}

function withTimeout(
  promise: PromiseLike<unknown>,
  timeoutMs: number,
  hook: string,
  handler: string,
): Promise<unknown> {
  return settleWithin(promise, {
    timeoutMs,
    onTimeout: () => {
      throw new HookTimeoutError(hook, handler, timeoutMs);
    },
    // A slow handler must not keep a process that is otherwise done alive.
    unref: true,
  });
}
