import type { ToolChoice, ToolDefinition } from "@llm/core";
import { convertToGeminiSchema, isEmptyObjectSchema } from "./convert-to-gemini-schema.js";
import type { GeminiFunctionDeclaration, GeminiRequestBody } from "./gemini-api.js";

type ToolFields = Pick<GeminiRequestBody, "tools" | "toolConfig">;

const NO_TOOLS: ToolFields = Object.freeze({});

/**
 * Our tools and tool choice → `tools[0].functionDeclarations` + `toolConfig`:
 * `auto` → AUTO, `none` → NONE, `required` → ANY, one named tool → ANY with
 * `allowedFunctionNames`.
 */
export function prepareGeminiTools(
  tools: readonly ToolDefinition[] | undefined,
  toolChoice: ToolChoice | undefined,
): ToolFields {
  if (!tools || tools.length === 0) return NO_TOOLS;
  const functionDeclarations: GeminiFunctionDeclaration[] = tools.map((tool) => {
    const declaration: GeminiFunctionDeclaration = { name: tool.name };
    if (tool.description) declaration.description = tool.description;
    // Gemini rejects an object schema without properties: leave `parameters` out.
    if (!isEmptyObjectSchema(tool.parameters)) {
      declaration.parameters = convertToGeminiSchema(tool.parameters);
    }
    return declaration;
  });
  const out: ToolFields = { tools: [{ functionDeclarations }] };
  if (toolChoice === undefined) return out;
  if (toolChoice === "auto") out.toolConfig = { functionCallingConfig: { mode: "AUTO" } };
  else if (toolChoice === "none") out.toolConfig = { functionCallingConfig: { mode: "NONE" } };
  else if (toolChoice === "required") out.toolConfig = { functionCallingConfig: { mode: "ANY" } };
  else {
    out.toolConfig = {
      functionCallingConfig: { mode: "ANY", allowedFunctionNames: [toolChoice.name] },
    };
  }
  return out;
}
