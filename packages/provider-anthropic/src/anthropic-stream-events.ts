import {
  generateId,
  type JsonObject,
  type JsonValue,
  NetworkError,
  ParseError,
  readCount,
  readNullableObject,
  readNullableString,
  readOptionalObject,
  readOptionalString,
  readRateLimitHeaders,
  readString,
  type StreamEvent,
  wireShapeError,
} from "@llm/core";
import {
  type AnthropicStreamEvent,
  type AnthropicUsage,
  isAnthropicStreamEvent,
} from "./anthropic-api.js";
import { anthropicStreamError } from "./anthropic-error.js";
import { convertAnthropicUsage, mergeAnthropicUsage } from "./convert-anthropic-usage.js";
import { mapAnthropicFinishReason } from "./map-anthropic-finish-reason.js";

const PROVIDER = "anthropic";
/** Name of the tool that carries JSON output (`responseFormat` json / json_schema). */
export const JSON_TOOL_NAME = "json";

interface StreamingBlock {
  kind: "text" | "thinking" | "tool" | "json" | "other";
  /** Tool calls: position among the tool calls of the answer. */
  toolIndex: number;
  id: string;
  name: string;
  args: string;
  /** Input given whole in `content_block_start` (some proxies prefill it). */
  initialInput: unknown;
}

/**
 * Messages API SSE payloads → stream events, as a synchronous state machine:
 * `push(data, out)` appends the events one `data:` payload produces; `end(out)`
 * appends the closing `usage` and `finish`. The client's one async generator
 * drives it, so an event costs an array push and one `yield`. Each payload is
 * `JSON.parse`d exactly once.
 *
 * Observed irregularities: a repeated `message_start` for the same message is
 * ignored; a `message_start` for a *different* message while one is open (a
 * spliced stream) is a `ParseError` — mixing two answers would corrupt both;
 * usage in `message_delta` (final output, sometimes a corrected input) wins
 * over `message_start`'s.
 */
export class AnthropicStreamEvents {
  readonly #model: string;
  readonly #headers: Record<string, string>;
  /** JSON output was requested: the `json` tool's input is the answer text. */
  readonly #jsonTool: boolean;
  readonly #blocks: StreamingBlock[] = [];
  #messageId: string | undefined;
  #stopped = false;
  #rawFinish: string | undefined;
  /** `message_delta`'s `stop_details` (why a refusal stopped), for `finish.providerMetadata`. */
  #stopDetails: JsonObject | undefined;
  #usage: AnthropicUsage | undefined;
  #toolCount = 0;
  #index = 0;

  constructor(model: string, headers: Record<string, string>, jsonTool: boolean) {
    this.#model = model;
    this.#headers = headers;
    this.#jsonTool = jsonTool;
  }

  push(data: string, out: StreamEvent[]): void {
    try {
      this.#read(data, out);
    } catch (error) {
      // A field not of the documented shape (null, a number for an array) is the body's fault.
      throw wireShapeError(error, PROVIDER, `stream event ${this.#index}`);
    }
  }

  #read(data: string, out: StreamEvent[]): void {
    this.#index++;
    // Payloads after message_stop are ignored; the caller still reads the body to its end (socket reuse).
    if (this.#stopped) return;
    const event = this.#parse(data);
    switch (event.type) {
      case "message_start":
        this.#messageStart(readOptionalString(event.message.id) ?? generateId("msg"), event, out);
        break;
      case "content_block_start":
        this.#blockStart(event, out);
        break;
      case "content_block_delta":
        this.#blockDelta(event, out);
        break;
      case "content_block_stop": {
        const state = this.#blocks[blockIndex(event.index)];
        if (state === undefined) break;
        if (state.kind === "json" && state.args === "" && isNonEmptyObject(state.initialInput)) {
          // The whole input came in content_block_start: it is the answer.
          out.push({ type: "text-delta", delta: JSON.stringify(state.initialInput) });
        } else if (state.kind === "tool") {
          out.push({
            type: "tool-call",
            index: state.toolIndex,
            toolCall: { id: state.id, name: state.name, input: toolInput(state) },
          });
        }
        break;
      }
      case "message_delta":
        this.#requireStarted();
        this.#rawFinish = readOptionalString(event.delta.stop_reason) || this.#rawFinish;
        // Metadata, read as generate reads it: an object, or dropped.
        this.#stopDetails = readOptionalObject(event.delta.stop_details) ?? this.#stopDetails;
        this.#usage = mergeAnthropicUsage(this.#usage, event.usage);
        break;
      case "message_stop":
        this.#requireStarted();
        this.#stopped = true;
        break;
      case "error":
        throw anthropicStreamError(event.error, this.#headers);
      default:
        break; // ping and future event types
    }
  }

  /** The body ended: checks the message was complete, then appends `usage` and `finish`. */
  end(out: StreamEvent[]): void {
    if (!this.#stopped) {
      throw new NetworkError(`${PROVIDER} ended the stream before message_stop`, {
        provider: PROVIDER,
      });
    }
    const usage = convertAnthropicUsage(this.#usage);
    out.push({ type: "usage", usage });
    const finish: StreamEvent = {
      type: "finish",
      finishReason: mapAnthropicFinishReason(
        this.#rawFinish,
        this.#jsonTool && this.#toolCount === 0,
      ),
      usage,
    };
    if (this.#rawFinish !== undefined) finish.rawFinishReason = this.#rawFinish;
    // Where generate puts the message's stop_details: the same answer, streamed, keeps them.
    if (this.#stopDetails !== undefined)
      finish.providerMetadata = { stopDetails: this.#stopDetails };
    out.push(finish);
  }

  #messageStart(
    id: string,
    event: Extract<AnthropicStreamEvent, { type: "message_start" }>,
    out: StreamEvent[],
  ): void {
    if (this.#messageId !== undefined) {
      if (id === this.#messageId) return; // duplicate of the open message
      throw new ParseError(
        `${PROVIDER} started message ${id} while message ${this.#messageId} was still open`,
        {
          where: `stream event ${this.#index}`,
          provider: PROVIDER,
        },
      );
    }
    this.#messageId = id;
    this.#usage = mergeAnthropicUsage(undefined, event.message.usage);
    const start: StreamEvent = {
      type: "start",
      id,
      model: readOptionalString(event.message.model) ?? this.#model,
      provider: PROVIDER,
      origin: { type: "upstream" },
    };
    const requestId = this.#headers["request-id"];
    if (requestId !== undefined) start.requestId = requestId;
    const rateLimit = readRateLimitHeaders(this.#headers);
    if (rateLimit !== undefined) start.rateLimit = rateLimit;
    out.push(start);
  }

  #blockStart(
    event: Extract<AnthropicStreamEvent, { type: "content_block_start" }>,
    out: StreamEvent[],
  ): void {
    this.#requireStarted();
    const block = event.content_block;
    const state: StreamingBlock = {
      kind: "other",
      toolIndex: -1,
      id: "",
      name: "",
      args: "",
      initialInput: undefined,
    };
    if (block.type === "text") {
      state.kind = "text";
      const text = readNullableString(
        (block as { text?: unknown }).text,
        PROVIDER,
        "content_block.text",
      );
      if (text) out.push({ type: "text-delta", delta: text });
    } else if (block.type === "thinking") {
      state.kind = "thinking";
      const thinking = readNullableString(
        (block as { thinking?: unknown }).thinking,
        PROVIDER,
        "content_block.thinking",
      );
      if (thinking) out.push({ type: "reasoning-delta", delta: thinking });
    } else if (block.type === "tool_use") {
      const tool = block as { id?: unknown; name?: unknown; input?: unknown };
      state.id = readString(tool.id, PROVIDER, "content_block.id");
      state.name = readString(tool.name, PROVIDER, "content_block.name");
      state.kind = this.#jsonTool && state.name === JSON_TOOL_NAME ? "json" : "tool";
      state.initialInput = readNullableObject(tool.input, PROVIDER, "content_block.input");
      if (state.kind === "tool") state.toolIndex = this.#toolCount++;
    }
    this.#blocks[blockIndex(event.index)] = state;
  }

  #blockDelta(
    event: Extract<AnthropicStreamEvent, { type: "content_block_delta" }>,
    out: StreamEvent[],
  ): void {
    const state = this.#blocks[blockIndex(event.index)];
    if (state === undefined) {
      throw new ParseError(
        `${PROVIDER} sent a delta for content block ${event.index} before it started`,
        {
          where: `stream event ${this.#index}`,
          provider: PROVIDER,
        },
      );
    }
    const delta = event.delta;
    switch (delta.type) {
      case "text_delta": {
        const text = readNullableString((delta as { text?: unknown }).text, PROVIDER, "delta.text");
        if (text) out.push({ type: "text-delta", delta: text });
        break;
      }
      case "thinking_delta": {
        const thinking = readNullableString(
          (delta as { thinking?: unknown }).thinking,
          PROVIDER,
          "delta.thinking",
        );
        if (thinking) out.push({ type: "reasoning-delta", delta: thinking });
        break;
      }
      case "signature_delta":
        out.push({
          type: "reasoning-delta",
          delta: "",
          signature: readString(
            (delta as { signature?: unknown }).signature,
            PROVIDER,
            "delta.signature",
          ),
        });
        break;
      case "input_json_delta": {
        const part = readNullableString(
          (delta as { partial_json?: unknown }).partial_json,
          PROVIDER,
          "delta.partial_json",
        );
        if (!part) break;
        state.args += part;
        if (state.kind === "json") out.push({ type: "text-delta", delta: part });
        else if (state.kind === "tool") {
          out.push({
            type: "tool-call-delta",
            index: state.toolIndex,
            toolCallId: state.id,
            toolName: state.name,
            argsDelta: part,
          });
        }
        break;
      }
      default:
        break; // citations and future delta types
    }
  }

  #requireStarted(): void {
    if (this.#messageId === undefined) {
      throw new ParseError(`${PROVIDER} sent stream events before message_start`, {
        where: `stream event ${this.#index}`,
        provider: PROVIDER,
      });
    }
  }

  #parse(data: string): AnthropicStreamEvent {
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch (cause) {
      throw new ParseError(`${PROVIDER} sent a stream event that is not JSON`, {
        where: `stream event ${this.#index}`,
        provider: PROVIDER,
        cause,
      });
    }
    if (!isAnthropicStreamEvent(value)) {
      throw new ParseError(`${PROVIDER} sent a stream event without a type`, {
        where: `stream event ${this.#index}`,
        provider: PROVIDER,
      });
    }
    return value;
  }
}

/**
 * The assembled input of a streamed tool call. No deltas (a tool without
 * arguments) → the input from `content_block_start`, else `{}`; arguments
 * that are not valid JSON are passed through as the raw string.
 */
function toolInput(state: StreamingBlock): JsonValue {
  if (state.args.trim() === "") {
    return isNonEmptyObject(state.initialInput) ? (state.initialInput as JsonValue) : {};
  }
  try {
    return JSON.parse(state.args) as JsonValue;
  } catch {
    return state.args;
  }
}

/** Content blocks one message may hold: a real answer has a handful; an index past this is a damaged body. */
const MAX_BLOCKS = 1_000;

/** A content block's `index`: a count below `MAX_BLOCKS` (it indexes an array), else a `ParseError`. */
function blockIndex(index: unknown): number {
  const at = readCount(index);
  if (at !== undefined && at < MAX_BLOCKS) return at;
  throw new ParseError(
    `${PROVIDER} sent a content block index that is not a count below ${MAX_BLOCKS}`,
    {
      where: "index",
      provider: PROVIDER,
    },
  );
}

function isNonEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length > 0;
}
