import {
  generateId,
  type JsonObject,
  type JsonValue,
  readNullableObject,
  readNullableString,
  readString,
  type StreamEvent,
  type ToolCall,
} from "@llm/core";
import type { GeminiFunctionCall, GeminiPartialArg } from "./gemini-api.js";
import { geminiToolCallMetadata } from "./gemini-tool-call-metadata.js";

/** Where a function call's fields sit in a chunk, for the path a `ParseError` names. */
const CALL_NAME_PATH = "candidates[0].content.parts[].functionCall.name";
const CALL_ID_PATH = "candidates[0].content.parts[].functionCall.id";
const CALL_ARGS_PATH = "candidates[0].content.parts[].functionCall.args";
const PARTIAL_ARGS_PATH = "candidates[0].content.parts[].functionCall.partialArgs[]";

interface OpenCall {
  id: string;
  name: string;
  args: JsonObject;
  /** Gemini's thought signature on the call's part (the head's, when it streams in pieces). */
  signature: string | undefined;
}

/**
 * Assembles the function calls of a Gemini stream. The Gemini API sends each
 * call whole in one part; Vertex with `streamFunctionCallArguments` sends a
 * head (`name`, `willContinue: true`), then `partialArgs` pieces addressed by
 * JSON path, then an empty terminal `functionCall: {}`. Both end the same
 * way: one `tool-call-delta` with the complete arguments, then the `tool-call`.
 */
export class GeminiStreamToolCalls {
  #open: OpenCall | undefined;
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(call: GeminiFunctionCall, out: StreamEvent[], signature?: string): void {
    const name = readNullableString(call.name, "gemini", CALL_NAME_PATH);
    if (name) {
      // A new head while a call is still open means its terminal part never came.
      this.close(out);
      this.#open = {
        id: readNullableString(call.id, "gemini", CALL_ID_PATH) ?? generateId("call"),
        name,
        // A copy: partial arguments are applied to it in place.
        args: { ...readNullableObject(call.args, "gemini", CALL_ARGS_PATH) },
        signature,
      };
    }
    const open = this.#open;
    if (!open) return; // argument pieces without a head: nothing to attach them to
    if (signature !== undefined) open.signature = signature;
    if (call.partialArgs) for (const arg of call.partialArgs) applyPartialArg(open.args, arg);
    if (call.willContinue !== true) this.close(out);
  }

  /** Emits the open call, if any (also at the end of the stream). */
  close(out: StreamEvent[]): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    const index = this.#count++;
    out.push(
      {
        type: "tool-call-delta",
        index,
        toolCallId: open.id,
        toolName: open.name,
        argsDelta: JSON.stringify(open.args),
      },
      { type: "tool-call", index, toolCall: toToolCall(open) },
    );
  }
}

function toToolCall(open: OpenCall): ToolCall {
  const toolCall: ToolCall = { id: open.id, name: open.name, input: open.args };
  const providerMetadata = geminiToolCallMetadata(open.signature);
  if (providerMetadata !== undefined) toolCall.providerMetadata = providerMetadata;
  return toolCall;
}

/** Sets (or, for a continued string, appends to) the value a `partialArgs` entry addresses. */
function applyPartialArg(args: JsonObject, arg: GeminiPartialArg): void {
  const path = parseJsonPath(readString(arg.jsonPath, "gemini", `${PARTIAL_ARGS_PATH}.jsonPath`));
  if (path.length === 0) return;
  // A piece of the tool's input: a wrong-typed one is a ParseError, not a different input.
  const text = readNullableString(arg.stringValue, "gemini", `${PARTIAL_ARGS_PATH}.stringValue`);
  let value: JsonValue;
  if (text !== undefined) value = text;
  else if (typeof arg.numberValue === "number") value = arg.numberValue;
  else if (typeof arg.boolValue === "boolean") value = arg.boolValue;
  else if ("nullValue" in arg) value = null;
  else return;

  let container: JsonObject | JsonValue[] = args;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string | number;
    const nextIsIndex = typeof path[i + 1] === "number";
    const existing = read(container, key);
    const child: JsonObject | JsonValue[] =
      typeof existing === "object" && existing !== null ? existing : nextIsIndex ? [] : {};
    if (child !== existing) write(container, key, child);
    container = child;
  }
  const last = path[path.length - 1] as string | number;
  const existing = read(container, last);
  write(
    container,
    last,
    typeof value === "string" && typeof existing === "string" ? existing + value : value,
  );
}

function read(container: JsonObject | JsonValue[], key: string | number): JsonValue | undefined {
  return Array.isArray(container)
    ? container[key as number]
    : (container as JsonObject)[String(key)];
}

function write(container: JsonObject | JsonValue[], key: string | number, value: JsonValue): void {
  if (Array.isArray(container)) container[Number(key)] = value;
  else container[String(key)] = value;
}

/** `$.a.b[0]['c d']` → `["a", "b", 0, "c d"]`. Unparsable paths give `[]`. */
export function parseJsonPath(path: string): (string | number)[] {
  if (!path.startsWith("$")) return [];
  const out: (string | number)[] = [];
  const token = /\.([^.[\]]+)|\[(\d+)\]|\[(?:'([^']*)'|"([^"]*)")\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const match = token.exec(path);
    if (!match) return [];
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else out.push((match[3] ?? match[4]) as string);
  }
  return out;
}
