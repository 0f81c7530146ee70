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
  if (Object.keys(known).length === 0 && !hasExtra) return undefined;
  return {
    name: "request-defaults",
    transformRequest(request) {
      const out: ChatRequest = { ...known, ...stripUndefined(request) };
      if (hasExtra) {
        out.providerOptions = {
          ...request.providerOptions,
          [provider]: { ...extra, ...request.providerOptions?.[provider] },
        };
      }
      return out;
    },
  };
}

function stripUndefined(request: ChatRequest): ChatRequest {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) if (value !== undefined) out[key] = value;
  return out as unknown as ChatRequest;
}
