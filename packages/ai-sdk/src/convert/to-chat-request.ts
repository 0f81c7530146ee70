import type {
  LanguageModelV3CallOptions,
  LanguageModelV3FilePart,
  LanguageModelV3FunctionTool,
  LanguageModelV3Message,
  LanguageModelV3ProviderTool,
  LanguageModelV3ToolResultOutput,
} from "@ai-sdk/provider";
import type {
  AssistantContentPart,
  ChatRequest,
  ImagePart,
  JsonObject,
  JsonValue,
  Message,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
  UserContentPart,
} from "@llm/core";
import { toJsonValue } from "./json-value.js";
import { Unrepresentable } from "./unrepresentable.js";

/**
 * Where this package keeps the part of an AI SDK call that `ChatRequest` has
 * no field for (per-message and per-part provider options, provider tools,
 * tool options), so that a cache key still covers it.
 */
export const AI_SDK_EXTRAS = "ai-sdk";

/** Per-call llm-kit settings, read from `providerOptions.llmKit` and never sent upstream. */
export const LLM_KIT_OPTIONS = "llmKit";

export type ConversionResult =
  | { ok: true; request: ChatRequest }
  | { ok: false; reason: string; where: string };

/**
 * An AI SDK call (`LanguageModelV3CallOptions`; a V4 call differs only in how
 * file data is written, and both are read) as an llm-kit `ChatRequest`.
 *
 * Everything that can change the answer is kept: what has a `ChatRequest`
 * field goes there, the rest (provider options on messages and parts,
 * provider-defined tools, tool options) under `providerOptions["ai-sdk"]`,
 * which a cache key includes and no provider reads. What llm-kit cannot
 * express at all — non-image files, file references, tool approvals,
 * provider-executed tool results — is reported with where it was, so the
 * caller can pass the call through uncached, or refuse it.
 */
export function toChatRequest(params: LanguageModelV3CallOptions): ConversionResult {
  try {
    return { ok: true, request: convert(params) };
  } catch (error) {
    if (error instanceof Unrepresentable)
      return { ok: false, reason: error.reason, where: error.where };
    throw error;
  }
}

function convert(params: LanguageModelV3CallOptions): ChatRequest {
  const extras: JsonObject = {};
  const messages = params.prompt.map((message, index) =>
    toMessage(message, `prompt[${index}]`, extras),
  );
  const request: ChatRequest = { messages };
  const tools = toTools(params.tools, extras);
  if (tools !== undefined) request.tools = tools;
  if (params.toolChoice !== undefined) request.toolChoice = toToolChoice(params.toolChoice);
  const responseFormat = toResponseFormat(params.responseFormat);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  if (params.temperature !== undefined) request.temperature = params.temperature;
  if (params.topP !== undefined) request.topP = params.topP;
  if (params.topK !== undefined) request.topK = params.topK;
  if (params.maxOutputTokens !== undefined) request.maxTokens = params.maxOutputTokens;
  if (params.stopSequences !== undefined) request.stop = params.stopSequences;
  if (params.seed !== undefined) request.seed = params.seed;
  if (params.frequencyPenalty !== undefined) request.frequencyPenalty = params.frequencyPenalty;
  if (params.presencePenalty !== undefined) request.presencePenalty = params.presencePenalty;
  const providerOptions = toProviderOptions(params.providerOptions, extras);
  if (providerOptions !== undefined) request.providerOptions = providerOptions;
  return request;
}

function toProviderOptions(
  given: LanguageModelV3CallOptions["providerOptions"],
  extras: JsonObject,
): ChatRequest["providerOptions"] {
  const out: Record<string, Record<string, JsonValue>> = {};
  for (const [name, options] of Object.entries(given ?? {})) {
    // llm-kit's own per-call settings (cache mode) select behaviour, not the answer.
    if (name === LLM_KIT_OPTIONS) continue;
    out[name] = toJsonValue(options, `providerOptions.${name}`) as Record<string, JsonValue>;
  }
  if (Object.keys(extras).length > 0) out[AI_SDK_EXTRAS] = extras;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Records provider options of a message or part under `extras`, keyed by where they were. */
function keepOptions(extras: JsonObject, where: string, options: unknown): void {
  if (options === undefined || Object.keys(options as object).length === 0) return;
  extras[where] = toJsonValue(options, `${where}.providerOptions`);
}

function toMessage(message: LanguageModelV3Message, where: string, extras: JsonObject): Message {
  keepOptions(extras, where, message.providerOptions);
  switch (message.role) {
    case "system":
      return { role: "system", content: message.content };
    case "user":
      return {
        role: "user",
        content: message.content.map((part, index): UserContentPart => {
          const at = `${where}.content[${index}]`;
          keepOptions(extras, at, part.providerOptions);
          return part.type === "text" ? { type: "text", text: part.text } : toImage(part, at);
        }),
      };
    case "assistant":
      return {
        role: "assistant",
        content: message.content.map((part, index): AssistantContentPart => {
          const at = `${where}.content[${index}]`;
          keepOptions(extras, at, part.providerOptions);
          switch (part.type) {
            case "text":
              return { type: "text", text: part.text };
            case "reasoning":
              return { type: "reasoning", text: part.text };
            case "tool-call":
              if (part.providerExecuted) {
                throw new Unrepresentable("a provider-executed tool call", at);
              }
              return {
                type: "tool-call",
                toolCallId: part.toolCallId,
                toolName: part.toolName,
                input: toJsonValue(part.input, `${at}.input`),
              };
            default:
              throw new Unrepresentable(`an assistant "${part.type}" part`, at);
          }
        }),
      };
    case "tool":
      return {
        role: "tool",
        content: message.content.map((part, index): ToolResultPart => {
          const at = `${where}.content[${index}]`;
          if (part.type !== "tool-result") throw new Unrepresentable(`a "${part.type}" part`, at);
          keepOptions(extras, at, part.providerOptions);
          return toToolResult(part.toolCallId, part.toolName, part.output, at);
        }),
      };
  }
}

/** V3 file data is bytes, base64 text or a URL; V4 wraps it as `{ type: "data" | "url", … }`. */
type FileData =
  | LanguageModelV3FilePart["data"]
  | { type: "data"; data: Uint8Array | string }
  | { type: "url"; url: URL }
  | { type: string };

function toImage(part: LanguageModelV3FilePart, where: string): ImagePart {
  if (!part.mediaType.startsWith("image/")) {
    throw new Unrepresentable(
      `a "${part.mediaType}" file (llm-kit messages carry images only)`,
      where,
    );
  }
  const data = part.data as FileData;
  if (data instanceof URL) return { type: "image", source: { type: "url", url: data.href } };
  if (typeof data === "string" || data instanceof Uint8Array)
    return base64Image(part.mediaType, data);
  if (data.type === "url" && "url" in data) {
    return { type: "image", source: { type: "url", url: data.url.href } };
  }
  if (data.type === "data" && "data" in data) return base64Image(part.mediaType, data.data);
  throw new Unrepresentable(`file data of type "${data.type}"`, where);
}

function base64Image(mediaType: string, data: string | Uint8Array): ImagePart {
  const base64 = typeof data === "string" ? data : Buffer.from(data).toString("base64");
  // "image/*" is what the AI SDK sends when it could not tell; providers want a concrete type.
  return { type: "image", source: { type: "base64", mediaType, data: base64 } };
}

function toToolResult(
  toolCallId: string,
  toolName: string,
  output: LanguageModelV3ToolResultOutput,
  where: string,
): ToolResultPart {
  const part: ToolResultPart = { type: "tool-result", toolCallId, toolName, output: null };
  switch (output.type) {
    case "text":
    case "json":
      part.output = toJsonValue(output.value, `${where}.output`);
      break;
    case "error-text":
    case "error-json":
      part.output = toJsonValue(output.value, `${where}.output`);
      part.isError = true;
      break;
    case "execution-denied":
      part.output = output.reason ?? "Tool execution denied.";
      part.isError = true;
      break;
    case "content": {
      const texts = output.value.map((item, index) => {
        if (item.type !== "text") {
          throw new Unrepresentable(
            `tool output content of type "${item.type}"`,
            `${where}.output[${index}]`,
          );
        }
        return item.text;
      });
      part.output = texts.join("");
      break;
    }
  }
  return part;
}

function toTools(
  tools: Array<LanguageModelV3FunctionTool | LanguageModelV3ProviderTool> | undefined,
  extras: JsonObject,
): ToolDefinition[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  const out: ToolDefinition[] = [];
  tools.forEach((tool, index) => {
    const where = `tools[${index}]`;
    if (tool.type === "provider") {
      // A provider's built-in tool (web search, code interpreter): no llm-kit client can
      // run it, but it changes the answer, so it is part of the key.
      extras[where] = toJsonValue({ id: tool.id, name: tool.name, args: tool.args }, where);
      return;
    }
    const definition: ToolDefinition = {
      name: tool.name,
      parameters: toJsonValue(tool.inputSchema, `${where}.inputSchema`) as JsonObject,
    };
    if (tool.description !== undefined) definition.description = tool.description;
    if (tool.strict !== undefined) definition.strict = tool.strict;
    if (tool.inputExamples !== undefined || tool.providerOptions !== undefined) {
      extras[where] = toJsonValue(
        {
          inputExamples: tool.inputExamples ?? null,
          providerOptions: tool.providerOptions ?? null,
        },
        where,
      );
    }
    out.push(definition);
  });
  return out.length > 0 ? out : undefined;
}

function toToolChoice(choice: NonNullable<LanguageModelV3CallOptions["toolChoice"]>): ToolChoice {
  return choice.type === "tool" ? { type: "tool", name: choice.toolName } : choice.type;
}

function toResponseFormat(
  format: LanguageModelV3CallOptions["responseFormat"],
): ResponseFormat | undefined {
  if (format === undefined || format.type === "text") return undefined;
  if (format.schema === undefined) return { type: "json" };
  const out: ResponseFormat = {
    type: "json_schema",
    // OpenAI requires a name; the AI SDK leaves it to the caller (`schemaName`).
    name: format.name ?? "response",
    schema: toJsonValue(format.schema, "responseFormat.schema") as JsonObject,
  };
  if (format.description !== undefined) out.description = format.description;
  return out;
}
