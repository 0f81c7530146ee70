import type { CallOptions } from "../client.js";
import type { Transport } from "../transport.js";
import { openCallSignal } from "./call-signal.js";
import { type JSONResult, type SendOptions, sendJSON } from "./send.js";

/**
 * Completes a provider's `SendOptions` with what the call adds: its headers
 * over the static ones, its signal, and its first-token / idle timeouts (the
 * transport's headers / body timeouts). Fills `send` in place and returns it,
 * so a call still builds one options object.
 */
export function withCallOptions(
  send: SendOptions,
  signal: AbortSignal | undefined,
  options: CallOptions | undefined,
): SendOptions {
  if (options === undefined) {
    if (signal !== undefined) send.signal = signal;
    return send;
  }
  // A new object only when the call brings headers: the static ones are shared by every call.
  if (options.headers) send.headers = { ...send.headers, ...options.headers };
  if (signal !== undefined) send.signal = signal;
  if (options.firstTokenTimeoutMs !== undefined)
    send.headersTimeoutMs = options.firstTokenTimeoutMs;
  if (options.idleTimeoutMs !== undefined) send.bodyTimeoutMs = options.idleTimeoutMs;
  return send;
}

/**
 * One non-streamed call: `sendJSON` under the call's signal (the caller's
 * `signal` and `timeoutMs`), released however the call ends. Throws
 * `AbortError` at once, without sending, when the signal is already aborted.
 */
export function callJSON(
  transport: Transport,
  send: SendOptions,
  options: CallOptions | undefined,
): Promise<JSONResult> {
  // No deadline: the caller's signal (if any) goes to the transport as it is, and there is
  // nothing to release afterwards — no async frame around sendJSON.
  if (options?.timeoutMs === undefined)
    return sendJSON(transport, withCallOptions(send, options?.signal, options));
  return callJSONWithin(transport, send, options);
}

async function callJSONWithin(
  transport: Transport,
  send: SendOptions,
  options: CallOptions,
): Promise<JSONResult> {
  const call = openCallSignal(options, false);
  try {
    return await sendJSON(transport, withCallOptions(send, call.signal, options));
  } finally {
    call.dispose();
  }
}
