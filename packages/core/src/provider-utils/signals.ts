import { onAbort } from "./abort-listeners.js";

/** A combined signal plus the function that detaches it from its sources. */
export interface LinkedSignal {
  signal: AbortSignal;
  /** Removes the listeners on the source signals; call it when the operation ends. */
  dispose(): void;
}

/**
 * Combines signals into one that aborts when any of them does, with the first
 * reason. Listeners on the sources are removed as soon as one fires; call
 * `dispose()` when the operation ends so that a long-lived source signal does
 * not keep listeners (and this controller) alive.
 */
export function linkSignals(...signals: Array<AbortSignal | undefined>): LinkedSignal {
  const controller = new AbortController();
  const sources = signals.filter((s): s is AbortSignal => s !== undefined);
  const already = sources.find((s) => s.aborted);
  if (already) {
    controller.abort(already.reason);
    return { signal: controller.signal, dispose: noop };
  }
  const offs = sources.map((source) =>
    onAbort(source, () => {
      dispose();
      controller.abort(source.reason);
    }),
  );
  const dispose = () => {
    for (const off of offs) off();
  };
  return { signal: controller.signal, dispose };
}

/**
 * A signal that aborts when any of `signals` does (`undefined` entries are
 * skipped). Returns `undefined` for none and the signal itself for one, so the
 * common case allocates nothing. Prefer `linkSignals` in code that can
 * dispose: this one leaves its listeners until a source aborts.
 */
export function combineSignals(
  ...signals: Array<AbortSignal | undefined>
): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return linkSignals(...present).signal;
}

const noop = () => {};
