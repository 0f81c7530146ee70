import type {
  BindToolsInput,
  ToolChoice as LangChainToolChoice,
} from "@langchain/core/language_models/chat_models";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import {
  InvalidRequestError,
  isRecord,
  type JsonSchema,
  type ToolChoice,
  type ToolDefinition,
} from "@llm/core";

/**
 * A tool as `bindTools` accepts it — a LangChain tool (`tool()`,
 * `StructuredTool`, zod-schema'd), an OpenAI-format definition, or ours —
 * as our `ToolDefinition`. The schema becomes JSON Schema once, here.
 */
export function toToolDefinition(tool: BindToolsInput, index: number): ToolDefinition {
  if (isOurToolDefinition(tool)) return tool;
  const openai = convertToOpenAITool(tool as Parameters<typeof convertToOpenAITool>[0]) as {
    type?: unknown;
    function?: { name?: unknown; description?: unknown; parameters?: unknown; strict?: unknown };
  };
  const fn = openai.function;
  if (
    openai.type !== "function" ||
    fn === undefined ||
    typeof fn.name !== "string" ||
    fn.name === ""
  )
    throw new InvalidRequestError(
      `tools[${index}]: expected a LangChain tool, an OpenAI function tool or { name, parameters }, got an object without a function name`,
    );
  const definition: ToolDefinition = {
    name: fn.name,
    parameters: isRecord(fn.parameters)
      ? (fn.parameters as JsonSchema)
      : { type: "object", properties: {} },
  };
  if (typeof fn.description === "string") definition.description = fn.description;
  if (typeof fn.strict === "boolean") definition.strict = fn.strict;
  return definition;
}

/**
 * LangChain's `tool_choice` (`"auto"`, `"any"`, `"required"`, `"none"`, a
 * tool name, or an OpenAI-format `{ type: "function", function: { name } }`) as ours.
 */
export function toToolChoice(choice: LangChainToolChoice | undefined): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === "auto" || choice === "none" || choice === "required") return choice;
  if (choice === "any") return "required";
  if (typeof choice === "string") return { type: "tool", name: choice };
  const named =
    (choice as { function?: { name?: unknown }; name?: unknown }).function?.name ??
    (choice as { name?: unknown }).name;
  if (typeof named === "string") return { type: "tool", name: named };
  throw new InvalidRequestError(
    'tool_choice: expected "auto", "any", "required", "none", a tool name or { type: "function", function: { name } }',
  );
}

const isOurToolDefinition = (tool: BindToolsInput): tool is ToolDefinition =>
  isRecord(tool) &&
  typeof tool.name === "string" &&
  isRecord(tool.parameters) &&
  !("schema" in tool) &&
  !("function" in tool);
