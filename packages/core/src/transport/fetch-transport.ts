import {
  AbortError,
  ConfigError,
  LimitExceededError,
  NetworkError,
  ParseError,
  TimeoutError,
} from "../errors/errors.js";
import { LLMError } from "../errors/llm-error.js";
import { onAbort } from "../provider-utils/abort-listeners.js";
import { DEFAULT_RESPONSE_LIMITS } from "../streaming/limits.js";
import type { Transport, TransportRequest, TransportResponse } from "../transport.js";

export interface FetchTransportOptions {
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /**
   * Largest body `text()` / `json()` will read; past it (or at once, when `content-length`
   * says so) they stop reading and throw `LimitExceededError` (`bodyBytes`). The body as a
   * stream is not bounded here (a stream driver bounds it by `limits.maxStreamBytes`).
   * Default `DEFAULT_RESPONSE_LIMITS.maxBodyBytes` (32 MiB), as `@llm/pool`'s.
   */
  maxBodyBytes?: number;
}

/**
 * A `Transport` on `fetch` — the dependency-free default, so a provider works
 * without `@llm/pool`. Failures become `NetworkError`, `TimeoutError`
 * (`first-byte` for `headersTimeoutMs`, `idle` for `bodyTimeoutMs`) or
 * `AbortError` (the caller's signal); never a raw `TypeError: fetch failed`.
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_RESPONSE_LIMITS.maxBodyBytes;
  if (!(maxBodyBytes >= 1)) {
    throw new ConfigError("Invalid fetch transport options", {
      issues: [
        { path: "maxBodyBytes", message: `must be at least 1, got ${String(maxBodyBytes)}` },
      ],
    });
  }
  return {
    request: (request) => fetchRequest(doFetch, request, maxBodyBytes),
  };
}

let shared: Transport | undefined;

/** The process-wide fetch transport, created on first use. */
export function defaultTransport(): Transport {
  shared ??= createFetchTransport();
  return shared;
}

async function fetchRequest(
  doFetch: typeof fetch,
  request: TransportRequest,
  maxBodyBytes: number,
): Promise<TransportResponse> {
  const where = describe(request.url);
  const callerSignal = request.signal;
  if (callerSignal?.aborted) throw abortError(callerSignal, where);

  // One controller per request: the caller's abort and our timeouts all end it.
  const controller = new AbortController();
  let timedOut: TimeoutError | undefined;
  const detach = callerSignal
    ? onAbort(callerSignal, () => controller.abort(callerSignal.reason))
    : () => {};

  const failure = (cause: unknown, phase: string): LLMError => {
    if (timedOut) return timedOut;
    if (callerSignal?.aborted) return abortError(callerSignal, where);
    if (cause instanceof LLMError) return cause;
    return new NetworkError(`${phase} ${where} failed: ${causeMessage(cause)}`, { cause });
  };

  let headersTimer: ReturnType<typeof setTimeout> | undefined;
  if (request.headersTimeoutMs !== undefined) {
    const ms = request.headersTimeoutMs;
    headersTimer = setTimeout(() => {
      timedOut = new TimeoutError("first-byte", ms);
      controller.abort(timedOut);
    }, ms);
    headersTimer.unref?.();
  }

  let response: Response;
  try {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
    };
    if (request.body !== undefined) init.body = request.body;
    response = await doFetch(request.url, init);
  } catch (cause) {
    detach();
    throw failure(cause, "Request to");
  } finally {
    clearTimeout(headersTimer);
  }

  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });

  let consumed = false;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    detach();
  };

  async function* readBody(): AsyncGenerator<Uint8Array, void, undefined> {
    if (consumed) throw new NetworkError(`The body of ${where} was already consumed`);
    consumed = true;
    const source = response.body;
    if (!source) {
      finish();
      return;
    }
    const reader = source.getReader();
    const idleMs = request.bodyTimeoutMs;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    try {
      while (true) {
        if (idleMs !== undefined) {
          idleTimer = setTimeout(() => {
            timedOut = new TimeoutError("idle", idleMs);
            controller.abort(timedOut);
          }, idleMs);
          idleTimer.unref?.();
        }
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (cause) {
          throw failure(cause, "Reading the body of");
        } finally {
          clearTimeout(idleTimer);
        }
        if (result.done) {
          done = true;
          return;
        }
        yield result.value;
      }
    } finally {
      if (!done) {
        // The consumer stopped early (or we failed): release the connection.
        await reader.cancel().catch(() => undefined);
      }
      reader.releaseLock();
      finish();
    }
  }

  const tooLarge = (bytes: number) =>
    new LimitExceededError("bodyBytes", maxBodyBytes, bytes, `${where} response body`);

  const text = async (): Promise<string> => {
    const declared = Number(headers["content-length"]);
    if (declared > maxBodyBytes) {
      await cancel();
      throw tooLarge(declared);
    }
    const decoder = new TextDecoder();
    let out = "";
    let bytes = 0;
    // Leaving the loop by the throw returns the generator, which cancels the rest of the body.
    for await (const chunk of readBody()) {
      bytes += chunk.byteLength;
      if (bytes > maxBodyBytes) throw tooLarge(bytes);
      out += decoder.decode(chunk, { stream: true });
    }
    return out + decoder.decode();
  };

  const cancel = async (): Promise<void> => {
    if (consumed) return;
    consumed = true;
    finish();
    await response.body?.cancel().catch(() => undefined);
  };

  return {
    status: response.status,
    headers,
    get body() {
      return readBody();
    },
    text,
    async json() {
      const body = await text();
      try {
        return JSON.parse(body) as unknown;
      } catch (cause) {
        throw new ParseError(`Response body of ${where} is not JSON`, {
          where: "response body",
          cause,
        });
      }
    },
    cancel,
  };
}

function abortError(signal: AbortSignal, where: string): LLMError {
  const reason: unknown = signal.reason;
  if (reason instanceof LLMError) return reason;
  return new AbortError(`Request to ${where} was aborted`, { cause: reason });
}

/** Origin and path only: a query string may carry a key (`?key=` on Gemini). */
function describe(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "<invalid url>";
  }
}

function causeMessage(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as { cause?: unknown }).cause;
  const code =
    inner && typeof inner === "object" && "code" in inner ? ` (${String(inner.code)})` : "";
  const innerMessage = inner instanceof Error ? `: ${inner.message}` : "";
  return `${cause.message}${innerMessage}${code}`;
}
