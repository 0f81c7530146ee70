import { isRecord } from "@llm/core";
import { asString, type NormalizedRequest } from "../normalized-request.js";
import type { ProviderAdapter } from "../provider-adapter.js";
import type { RecordedRequest } from "../types.js";

/**
 * The parts of a provider adapter that are the same across APIs (routing,
 * bearer auth, the message walk); what is on the wire stays in each adapter.
 */

/**
 * `shape` for an API with one chat route (`POST chatPath`) and one models
 * route (`GET modelsPath`), the model and the stream flag read from the body.
 * `streamByDefault`: an absent `stream` streams (Ollama).
 */
export function chatAndModelsRoutes(
  chatPath: string,
  modelsPath: string,
  streamByDefault = false,
): ProviderAdapter["shape"] {
  return (method, path, _query, body) => {
    const model = isRecord(body) ? asString(body.model) : undefined;
    if (method === "POST" && path === chatPath) {
      const flag = isRecord(body) ? body.stream : undefined;
      return { route: "chat", stream: streamByDefault ? flag !== false : flag === true, model };
    }
    if (method === "GET" && path === modelsPath) return { route: "models", stream: false, model };
    return { route: undefined, stream: false, model };
  };
}

/** The token of an `Authorization: Bearer …` header; "" when there is none. */
export function bearerToken(request: RecordedRequest): string {
  const header = request.headers.authorization ?? "";
  return header.startsWith("Bearer ") ? header.slice(7).trim() : "";
}

export type MessageSummary = Pick<NormalizedRequest, "promptChars" | "lastRole" | "lastUserText">;

/**
 * Walks a `messages` array whose entries carry `role` and `content` (Chat
 * Completions, Mistral, Ollama): prompt size, last role, last user text.
 * `textOf` reads one message's content; `visit` checks a message (throws to refuse it).
 */
export function summarizeMessages(
  messages: unknown[],
  textOf: (content: unknown) => string,
  visit?: (message: Record<string, unknown>) => void,
): MessageSummary {
  let promptChars = 0;
  let lastRole: NormalizedRequest["lastRole"];
  let lastUserText = "";
  for (const message of messages) {
    if (!isRecord(message)) continue;
    const text = textOf(message.content);
    promptChars += text.length;
    const role = message.role;
    visit?.(message);
    // `developer` (and any other role) counts as system.
    lastRole = role === "user" || role === "assistant" || role === "tool" ? role : "system";
    lastUserText = role === "user" ? text : "";
  }
  return { promptChars, lastRole, lastUserText };
}
