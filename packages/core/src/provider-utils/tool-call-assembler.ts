import { ParseError } from "../errors/errors.js";
import type { StreamEvent } from "../stream-event.js";
import { generateId } from "./generate-id.js";
import { parseToolArguments } from "./parse-tool-arguments.js";
import { readCount, readNullableString } from "./read-wire-field.js";

/** Tool calls one stream may hold: a real answer has a handful; an index past this is a damaged body. */
const MAX_TOOL_CALLS = 1_000;

// Where the fields sit in a Chat Completions chunk, for the path a `ParseError` names (constants: no allocation).
const INDEX_PATH = "choices[0].delta.tool_calls[].index";
const ID_PATH = "choices[0].delta.tool_calls[].id";
const NAME_PATH = "choices[0].delta.tool_calls[].function.name";
const ARGUMENTS_PATH = "choices[0].delta.tool_calls[].function.arguments";

interface PendingToolCall {
  id: string;
  name: string;
  args: string;
  emitted: boolean;
}

/**
 * Streamed tool calls (Chat Completions style: an id and name first, the
 * arguments as string fragments) → `tool-call-delta` events as fragments
 * arrive, then one parsed `tool-call` per call at `flush`.
 *
 * A stream handler creates one the first time a tool call shows up, so a
 * text-only stream allocates nothing for it; per fragment it costs a string
 * concatenation and the delta event.
 *
 * It takes the wire values as they are and reads them as core's readers do:
 * an id, name or arguments that is not a string (nor absent) is a
 * `ParseError` naming `provider` and the JSON path — content is never passed
 * on or dropped silently.
 */
export class ToolCallAssembler {
  readonly #provider: string;
  readonly #calls: PendingToolCall[] = [];

  constructor(provider: string) {
    this.#provider = provider;
  }

  /**
   * The call a fragment's `index` names: the wire index when it is a count,
   * else the fragment's `position` in its chunk; past `MAX_TOOL_CALLS` it is a
   * `ParseError` (the calls are an array, never grown to a wire value).
   */
  indexAt(index: unknown, position: number): number {
    const at = readCount(index) ?? position;
    if (at < MAX_TOOL_CALLS) return at;
    throw new ParseError(`${this.#provider} sent a tool call index past ${MAX_TOOL_CALLS}`, {
      where: INDEX_PATH,
      provider: this.#provider,
    });
  }

  /**
   * Where a fragment belongs when the server's `index` is not to be trusted
   * (Mistral): a new id, or any fragment after a flush, opens a new call;
   * one without an id continues the last.
   */
  indexFor(wireId: unknown): number {
    const id = readNullableString(wireId, this.#provider, ID_PATH);
    const calls = this.#calls;
    const last = calls[calls.length - 1];
    if (last === undefined || last.emitted || (id !== undefined && id !== last.id)) {
      return this.indexAt(undefined, calls.length);
    }
    return calls.length - 1;
  }

  /**
   * Adds one fragment to the call at `index` (opened with `id`, or a generated
   * one, when new); appends a `tool-call-delta` when it carries arguments.
   */
  append(index: number, id: unknown, name: unknown, args: unknown, out: StreamEvent[]): void {
    const provider = this.#provider;
    let call = this.#calls[index];
    if (call === undefined) {
      const callId = readNullableString(id, provider, ID_PATH);
      call = { id: callId ?? generateId("call"), name: "", args: "", emitted: false };
      this.#calls[index] = call;
    }
    const callName = readNullableString(name, provider, NAME_PATH);
    if (callName && call.name === "") call.name = callName;
    const argsDelta = readNullableString(args, provider, ARGUMENTS_PATH);
    if (argsDelta) {
      call.args += argsDelta;
      out.push({
        type: "tool-call-delta",
        index,
        toolCallId: call.id,
        toolName: call.name,
        argsDelta,
      });
    }
  }

  /** Calls are complete when their choice finishes (or the stream ends): emits each once, parsed. */
  flush(out: StreamEvent[]): void {
    const calls = this.#calls;
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call === undefined || call.emitted) continue;
      call.emitted = true;
      out.push({
        type: "tool-call",
        index: i,
        toolCall: { id: call.id, name: call.name, input: parseToolArguments(call.args) },
      });
    }
  }
}
