import type { LLMClient } from "../client.js";
import type { Message } from "../messages.js";
import type { ChatResponse } from "../response.js";
import {
  callOptionsOf,
  checkBound,
  type GenerateObjectOptions,
  MAX_REPAIRS,
  type ObjectRequest,
  splitObjectRequest,
} from "./object-request.js";
import { type ObjectIssue, ObjectValidationError } from "./object-validation-error.js";
import { validateObject } from "./validate-object.js";

export interface ObjectResult<T> {
  /** The answer, validated by the schema and typed by it. */
  object: T;
  /** The answer that passed: usage, origin (`cache` on a hit), warnings, request id. */
  response: ChatResponse;
  /** Calls made: 1, plus one per repair. */
  attempts: number;
}

/**
 * Asks `client` for one object matching `request.schema` and returns it
 * validated and typed. The request goes through the client as any other —
 * its middleware, cache (keyed on the schema too), retries and fallbacks —
 * with a `json_schema` response format that each provider turns into its
 * native JSON mode. An answer that is not JSON or that the schema refuses
 * throws `ObjectValidationError` (raw text and issues), unless
 * `options.maxRepairs` lets it be sent back with the issues to be corrected.
 */
export async function generateObject<T>(
  client: LLMClient,
  request: ObjectRequest<T>,
  options?: GenerateObjectOptions,
): Promise<ObjectResult<T>> {
  const maxRepairs = checkBound("maxRepairs", options?.maxRepairs ?? 0, 0, MAX_REPAIRS);
  const { chat, format, schema } = splitObjectRequest(request);
  const callOptions = callOptionsOf(options);
  let messages = chat.messages;
  for (let attempt = 1; ; attempt++) {
    const response = await client.generate({ ...chat, messages }, callOptions);
    try {
      const object = await validateObject(schema, format.name, response, attempt);
      return { object, response, attempts: attempt };
    } catch (error) {
      if (!(error instanceof ObjectValidationError) || attempt > maxRepairs) throw error;
      messages = [
        ...messages,
        { role: "assistant", content: response.text },
        { role: "user", content: repairPrompt(format.name, error.issues) },
      ] satisfies Message[];
    }
  }
}

/** What the model is told when its answer was refused: where and why, and to answer again. */
export function repairPrompt(schemaName: string, issues: readonly ObjectIssue[]): string {
  const list = issues.map((issue) => `- ${issue.path || "<root>"}: ${issue.message}`).join("\n");
  return `Your answer does not match the "${schemaName}" JSON schema:\n${list}\nAnswer again with only the corrected JSON object.`;
}
