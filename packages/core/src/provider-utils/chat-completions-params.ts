import type { JsonSchema } from "../json.js";
import type { ResponseFormat, ToolChoice, ToolDefinition } from "../request.js";
import { allowsStrictMode } from "../structured/strict-json-schema.js";

/**
 * The Chat Completions wire shapes of tools, tool choice and response format:
 * OpenAI's, which Mistral and other compatible servers take as they are.
 * Here so those providers share one converter instead of each keeping a copy.
 */
export interface FunctionToolParam {
  type: "function";
  function: { name: string; description?: string; parameters: JsonSchema; strict?: boolean };
}

export type FunctionToolChoiceParam =
  | "auto"
  | "none"
  | "required"
  | { type: "function"; function: { name: string } };

export type ResponseFormatParam =
  | { type: "text" }
  | { type: "json_object" }
  | {
      type: "json_schema";
      json_schema: { name: string; schema: JsonSchema; description?: string; strict?: boolean };
    };

export function toFunctionToolParam(tool: ToolDefinition): FunctionToolParam {
  // Key order as in OpenAI's docs (name, description, parameters, strict): same bytes as the SDK sends.
  const fn: FunctionToolParam["function"] =
    tool.description === undefined
      ? { name: tool.name, parameters: tool.parameters }
      : { name: tool.name, description: tool.description, parameters: tool.parameters };
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return { type: "function", function: fn };
}

export const toFunctionToolParams = (tools: ToolDefinition[]): FunctionToolParam[] =>
  tools.map(toFunctionToolParam);

export function toFunctionToolChoiceParam(choice: ToolChoice): FunctionToolChoiceParam {
  return typeof choice === "string"
    ? choice
    : { type: "function", function: { name: choice.name } };
}

export function toResponseFormatParam(format: ResponseFormat): ResponseFormatParam {
  switch (format.type) {
    case "text":
      return { type: "text" };
    case "json":
      return { type: "json_object" };
    case "json_schema": {
      const jsonSchema: Extract<ResponseFormatParam, { type: "json_schema" }>["json_schema"] = {
        name: format.name,
        schema: format.schema,
        // Strict where the schema allows it: a strict request with an open object is refused (400).
        strict: format.strict ?? allowsStrictMode(format.schema),
      };
      if (format.description !== undefined) jsonSchema.description = format.description;
      return { type: "json_schema", json_schema: jsonSchema };
    }
  }
}
