/**
 * One `abort` listener per signal, however many operations wait on it.
 *
 * A caller often shares one long-lived signal (a request scope, a shutdown
 * signal) across many concurrent calls, and each call has several layers that
 * want to hear its abort (cache single-flight, timeout, call signal, transport,
 * pool queue). Adding an EventTarget listener per layer per call puts dozens on
 * that signal at once — Node then warns `MaxListenersExceededWarning`, and a
 * listener forgotten by any layer stays for the signal's life. Here each
 * signal carries a single listener that fans out to a set; the listener is
 * removed as soon as the set is empty, so an idle signal holds nothing.
 */
interface Fanout {
  readonly listeners: Set<() => void>;
  readonly dispatch: () => void;
}

const fanouts = new WeakMap<AbortSignal, Fanout>();
/** Shared: an options literal per registration is one more object on every call's path. */
const ONCE = Object.freeze({ once: true });

/**
 * Calls `listener` once when `signal` aborts. Returns the function that
 * unregisters it (idempotent; call it when the operation ends). An already
 * aborted signal is the caller's to check: nothing is called for it here.
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let fanout = fanouts.get(signal);
  if (fanout === undefined) {
    const listeners = new Set<() => void>();
    const dispatch = () => {
      fanouts.delete(signal);
      const pending = [...listeners];
      listeners.clear();
      for (const fn of pending) {
        try {
          fn();
        } catch (error) {
          // As an EventTarget listener would: reported, never stopping the others.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    };
    fanout = { listeners, dispatch };
    fanouts.set(signal, fanout);
    signal.addEventListener("abort", dispatch, ONCE);
  }
  const current = fanout;
  // A wrapper per registration, so one function registered twice is two registrations.
  const entry = () => listener();
  current.listeners.add(entry);
  return () => {
    if (!current.listeners.delete(entry)) return;
    if (current.listeners.size === 0 && fanouts.get(signal) === current) {
      fanouts.delete(signal);
      signal.removeEventListener("abort", current.dispatch);
    }
  };
}
