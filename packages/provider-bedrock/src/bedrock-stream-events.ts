import {
  generateId,
  isRecord,
  NetworkError,
  ParseError,
  parseToolArguments,
  readNullableString,
  type StreamEvent,
  type StreamHandler,
  wireShapeError,
} from "@llm/core";
import type {
  BedrockContentBlockDelta,
  BedrockContentBlockStart,
  BedrockMessageStop,
  BedrockStreamMetadata,
  BedrockUsage,
} from "./bedrock-api.js";
import { bedrockStreamException } from "./bedrock-error.js";
import type { BedrockEventFrame } from "./bedrock-event-stream.js";
import { convertBedrockUsage } from "./convert-bedrock-usage.js";
import { mapBedrockFinishReason } from "./map-bedrock-finish-reason.js";

const PROVIDER = "bedrock";
/** Name of the tool that carries structured output (`responseFormat` json / json_schema). */
export const JSON_TOOL_NAME = "json";

interface ToolBlock {
  /** `json`: the structured-output tool, whose input is the answer text. */
  kind: "tool" | "json";
  toolIndex: number;
  id: string;
  name: string;
  args: string;
}

/**
 * ConverseStream events → stream events, as core's `StreamHandler`:
 * `messageStart` → `start`; `contentBlockDelta` text / reasoning / toolUse
 * input → deltas; `contentBlockStop` of a tool → the assembled `tool-call`;
 * `messageStop` gives the stop reason and `metadata` (after it) the usage,
 * both emitted at the body's end as `usage` and `finish`. An exception
 * message throws the mapped error after the deltas before it.
 */
/** Tool blocks open at once: a real answer has a handful; more is a damaged body. */
export const MAX_OPEN_TOOL_BLOCKS = 1_000;

export class BedrockStreamEvents implements StreamHandler<BedrockEventFrame> {
  readonly #model: string;
  readonly #headers: Record<string, string>;
  readonly #jsonTool: boolean;
  readonly #tools = new Map<number, ToolBlock>();
  #started = false;
  #stopped = false;
  #rawFinish: string | undefined;
  #usage: BedrockUsage | undefined;
  #toolCount = 0;
  #index = 0;

  constructor(model: string, headers: Record<string, string>, jsonTool: boolean) {
    this.#model = model;
    this.#headers = headers;
    this.#jsonTool = jsonTool;
  }

  push(frame: BedrockEventFrame, out: StreamEvent[]): void {
    try {
      this.#read(frame, out);
    } catch (error) {
      // A field not of the documented shape (null, a number for an array) is the body's fault.
      throw wireShapeError(error, PROVIDER, `stream event ${this.#index}`);
    }
  }

  #read(frame: BedrockEventFrame, out: StreamEvent[]): void {
    this.#index++;
    if (frame.messageType !== "event") {
      throw bedrockStreamException(frame.type, frame.payload, this.#headers);
    }
    switch (frame.type) {
      case "messageStart":
        this.#start(out);
        break;
      case "contentBlockStart":
        this.#blockStart(this.#parse<BedrockContentBlockStart>(frame));
        break;
      case "contentBlockDelta":
        this.#blockDelta(this.#parse<BedrockContentBlockDelta>(frame), out);
        break;
      case "contentBlockStop": {
        const index = this.#parse<{ contentBlockIndex?: number }>(frame).contentBlockIndex ?? 0;
        const tool = this.#tools.get(index);
        if (tool?.kind === "tool") {
          out.push({
            type: "tool-call",
            index: tool.toolIndex,
            toolCall: { id: tool.id, name: tool.name, input: parseToolArguments(tool.args) },
          });
        }
        this.#tools.delete(index);
        break;
      }
      case "messageStop": {
        this.#requireStarted();
        this.#stopped = true;
        const stop = this.#parse<BedrockMessageStop>(frame);
        if (typeof stop.stopReason === "string") this.#rawFinish = stop.stopReason;
        break;
      }
      case "metadata": {
        const metadata = this.#parse<BedrockStreamMetadata>(frame);
        if (isRecord(metadata.usage)) this.#usage = metadata.usage;
        break;
      }
      default:
        break; // future event types
    }
  }

  /** The body ended: checks the message was complete, then appends `usage` and `finish`. */
  end(out: StreamEvent[]): void {
    if (!this.#stopped) {
      throw new NetworkError(`${PROVIDER} ended the stream before messageStop`, {
        provider: PROVIDER,
      });
    }
    const usage = convertBedrockUsage(this.#usage);
    out.push({ type: "usage", usage });
    const finish: StreamEvent = {
      type: "finish",
      finishReason: mapBedrockFinishReason(
        this.#rawFinish,
        this.#jsonTool && this.#toolCount === 0,
      ),
      usage,
    };
    if (this.#rawFinish !== undefined) finish.rawFinishReason = this.#rawFinish;
    out.push(finish);
  }

  #start(out: StreamEvent[]): void {
    if (this.#started) return; // a repeated messageStart adds nothing
    this.#started = true;
    const requestId = this.#headers["x-amzn-requestid"];
    const start: StreamEvent = {
      type: "start",
      // Converse has no message id: the request id names the answer.
      id: requestId ?? generateId("msg"),
      model: this.#model,
      provider: PROVIDER,
      origin: { type: "upstream" },
    };
    if (requestId !== undefined) start.requestId = requestId;
    out.push(start);
  }

  #blockStart(event: BedrockContentBlockStart): void {
    this.#requireStarted();
    const toolUse = event.start?.toolUse;
    if (toolUse === undefined) return;
    const name = readNullableString(toolUse.name, PROVIDER, "start.toolUse.name") ?? "";
    const kind = this.#jsonTool && name === JSON_TOOL_NAME ? "json" : "tool";
    const tool: ToolBlock = {
      kind,
      toolIndex: kind === "tool" ? this.#toolCount++ : -1,
      id:
        readNullableString(toolUse.toolUseId, PROVIDER, "start.toolUse.toolUseId") ??
        generateId("tooluse"),
      name,
      args: "",
    };
    const index = event.contentBlockIndex ?? 0;
    // Kept until their contentBlockStop: without a cap, starts that never stop would pile up
    // for the whole stream. Anthropic's and OpenAI's streams have the same cap.
    if (this.#tools.size >= MAX_OPEN_TOOL_BLOCKS && !this.#tools.has(index)) {
      throw new ParseError(
        `${PROVIDER} sent more than ${MAX_OPEN_TOOL_BLOCKS} tool blocks open at once`,
        { where: `stream event ${this.#index}`, provider: PROVIDER },
      );
    }
    this.#tools.set(index, tool);
  }

  #blockDelta(event: BedrockContentBlockDelta, out: StreamEvent[]): void {
    this.#requireStarted();
    const delta = event.delta;
    if (delta === undefined) return;
    const text = readNullableString(delta.text, PROVIDER, "delta.text");
    if (text !== undefined) {
      if (text !== "") out.push({ type: "text-delta", delta: text });
      return;
    }
    const reasoning = delta.reasoningContent;
    if (reasoning !== undefined) {
      const reasoningText = readNullableString(
        reasoning.text,
        PROVIDER,
        "delta.reasoningContent.text",
      );
      if (reasoningText) out.push({ type: "reasoning-delta", delta: reasoningText });
      const signature = readNullableString(
        reasoning.signature,
        PROVIDER,
        "delta.reasoningContent.signature",
      );
      if (signature !== undefined) out.push({ type: "reasoning-delta", delta: "", signature });
      return;
    }
    const input = readNullableString(delta.toolUse?.input, PROVIDER, "delta.toolUse.input");
    if (input === undefined || input === "") return;
    const tool = this.#tools.get(event.contentBlockIndex ?? 0);
    if (tool === undefined) {
      throw new ParseError(
        `${PROVIDER} sent tool input for content block ${event.contentBlockIndex} before it started`,
        { where: `stream event ${this.#index}`, provider: PROVIDER },
      );
    }
    tool.args += input;
    if (tool.kind === "json") out.push({ type: "text-delta", delta: input });
    else
      out.push({
        type: "tool-call-delta",
        index: tool.toolIndex,
        toolCallId: tool.id,
        toolName: tool.name,
        argsDelta: input,
      });
  }

  #requireStarted(): void {
    if (!this.#started) {
      throw new ParseError(`${PROVIDER} sent stream events before messageStart`, {
        where: `stream event ${this.#index}`,
        provider: PROVIDER,
      });
    }
  }

  #parse<T>(frame: BedrockEventFrame): T {
    let value: unknown;
    try {
      value = JSON.parse(frame.payload);
    } catch (cause) {
      throw new ParseError(`${PROVIDER} sent a ${frame.type} event that is not JSON`, {
        where: `stream event ${this.#index}`,
        provider: PROVIDER,
        cause,
      });
    }
    if (!isRecord(value)) {
      throw new ParseError(`${PROVIDER} sent a ${frame.type} event that is not an object`, {
        where: `stream event ${this.#index}`,
        provider: PROVIDER,
      });
    }
    return value as T;
  }
}
