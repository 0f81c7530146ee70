import { isRecord } from "@llm/core";
import type { JsonSchemaLike } from "./json-schema-sample.js";

export interface NormalizedTool {
  name: string;
  parameters: JsonSchemaLike | undefined;
}

export type NormalizedToolChoice =
  | { type: "auto" }
  | { type: "none" }
  | { type: "required" }
  | { type: "tool"; name: string };

/**
 * What the default responder needs to know about a chat request, whatever its wire format.
 * Each provider adapter builds one from its own request body.
 */
export interface NormalizedRequest {
  model: string;
  stream: boolean;
  /** Characters of all message text, for a plausible input token count. */
  promptChars: number;
  lastRole: "system" | "user" | "assistant" | "tool" | undefined;
  /** Text of the last user message ("" when the last message is not from the user). */
  lastUserText: string;
  tools: NormalizedTool[];
  toolChoice: NormalizedToolChoice;
  /** Set when the client asked for JSON output; `schema` when it gave one. */
  json: { schema: JsonSchemaLike | undefined } | undefined;
  /** The client enabled reasoning / thinking. */
  reasoning: boolean;
  /** Gemini streams as SSE only with `alt=sse` (else a streamed JSON array). */
  sse: boolean;
  /** OpenAI: `stream_options.include_usage`. */
  includeUsage: boolean;
  /** Stable text that identifies the request's content (stream flags excluded). */
  identity: string;
}

/** Thrown by an adapter when a request body is invalid; the server answers 400. */
export class InvalidRequestError extends Error {
  override readonly name = "InvalidRequestError";
}

/** Text of a content value that is a string or an array of `{ text }`-ish parts. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const part of content) {
    if (typeof part === "string") out += part;
    else if (isRecord(part)) {
      if (typeof part.text === "string") out += part.text;
      else if (typeof part.content === "string") out += part.content;
      else if (Array.isArray(part.content)) out += contentText(part.content);
    }
  }
  return out;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A stable identity for a request body: the JSON without the given transport-only keys. */
export function identityOf(body: Record<string, unknown>, omit: readonly string[]): string {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (!omit.includes(key)) copy[key] = body[key];
  return JSON.stringify(copy);
}
