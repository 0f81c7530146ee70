import type { ClientParams } from "@llm/config";
import { type ChatRequest, type JsonValue, type Middleware, REQUEST_DEFAULT_KEYS } from "@llm/core";

/** The request fields a client's `params` may fill: the same list providers accept as `defaults`. */
const KNOWN: ReadonlySet<string> = new Set(REQUEST_DEFAULT_KEYS);

/**
 * Fills request fields the caller left out from the client's configured
 * `params`, *before* the cache computes its key — so two clients with the
 * same model but different temperatures never share an answer, and the
 * cache policy sees the temperature that is really sent. Unknown params go
 * to `providerOptions[provider]`.
 */
export function requestDefaultsMiddleware(
  provider: string,
  params: ClientParams | undefined,
): Middleware | undefined {
  if (!params) return undefined;
  const known: Partial<ChatRequest> = {};
  const extra: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (KNOWN.has(key)) (known as Record<string, unknown>)[key] = value;
    else extra[key] = value as JsonValue;
  }
  const hasExtra = Object.keys(extra).length > 0;
  const knownKeys = Object.keys(known) as Array<keyof typeof known>;
  if (knownKeys.length === 0 && !hasExtra) return undefined;
  return {
    name: "request-defaults",
    transformRequest(request) {
      // Runs on every call, cache hits included. The defaults go in first and the request
      // over them in one copy; a member the request set to `undefined` is filled back.
      // (Copying with `{ ...request }` and then adding members costs V8 a new hidden class
      // per call: ~1.4 µs against ~0.1 µs for this.)
      const out: Record<string, unknown> = {};
      Object.assign(out, known, request);
      for (const key of knownKeys) if (out[key] === undefined) out[key] = known[key];
      if (hasExtra) {
        out.providerOptions = {
          ...request.providerOptions,
          [provider]: { ...extra, ...request.providerOptions?.[provider] },
        };
      }
      return out as unknown as ChatRequest;
    },
  };
}
