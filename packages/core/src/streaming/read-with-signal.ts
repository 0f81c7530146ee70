import { AbortError } from "../errors/errors.js";
import { LLMError } from "../errors/llm-error.js";
import { onAbort } from "../provider-utils/abort-listeners.js";

/**
 * Iterates `body`, throwing `AbortError` as soon as `signal` aborts — also
 * while waiting for a chunk — and closing the source on the way out.
 */
export async function* readWithSignal(
  body: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (!signal) {
    yield* body;
    return;
  }
  if (signal.aborted) throw toAbortError(signal, "The stream was aborted");
  const iterator = body[Symbol.asyncIterator]();
  let off: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    off = onAbort(signal, () => reject(toAbortError(signal, "The stream was aborted")));
  });
  // Keep an unobserved rejection from crashing the process.
  aborted.catch(() => {});
  let done = false;
  let pending = false;
  try {
    while (true) {
      pending = true;
      const result = await Promise.race([iterator.next(), aborted]);
      pending = false;
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    off?.();
    if (!done) {
      // While a read is still pending, return() would queue behind it (maybe forever):
      // request it without waiting; the aborted transport ends that read.
      const closing = iterator.return?.();
      if (closing) {
        if (pending) closing.catch(() => undefined);
        else await closing.catch(() => undefined);
      }
    }
  }
}

/** The error to throw for an aborted signal: its reason when that is already an `LLMError`. */
export function toAbortError(signal: AbortSignal, message = "The request was aborted"): LLMError {
  const reason: unknown = signal.reason;
  // A timeout middleware aborts with its TimeoutError: surface that, not a generic abort.
  if (reason instanceof LLMError) return reason;
  return new AbortError(message, { cause: reason });
}
