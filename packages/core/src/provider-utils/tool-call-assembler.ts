import type { StreamEvent } from "../stream-event.js";
import { generateId } from "./generate-id.js";
import { parseToolArguments } from "./parse-tool-arguments.js";

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
 */
export class ToolCallAssembler {
  readonly #calls: PendingToolCall[] = [];

  /**
   * Where a fragment belongs when the server's `index` is not to be trusted
   * (Mistral): a new id, or any fragment after a flush, opens a new call;
   * one without an id continues the last.
   */
  indexFor(id: string | null | undefined): number {
    const calls = this.#calls;
    const last = calls[calls.length - 1];
    if (last === undefined || last.emitted || (id != null && id !== last.id)) return calls.length;
    return calls.length - 1;
  }

  /**
   * Adds one fragment to the call at `index` (opened with `id`, or a generated
   * one, when new); appends a `tool-call-delta` when it carries arguments.
   */
  append(
    index: number,
    id: string | null | undefined,
    name: string | null | undefined,
    argsDelta: string | null | undefined,
    out: StreamEvent[],
  ): void {
    let call = this.#calls[index];
    if (call === undefined) {
      call = { id: id ?? generateId("call"), name: "", args: "", emitted: false };
      this.#calls[index] = call;
    }
    if (name && call.name === "") call.name = name;
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
