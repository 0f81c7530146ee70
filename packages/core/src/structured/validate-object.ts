import type { ChatResponse } from "../response.js";
import { type ObjectIssue, ObjectValidationError } from "./object-validation-error.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

/** Issues kept from one validation, and the longest message kept of each: an error stays small. */
const MAX_ISSUES = 20;
const MAX_ISSUE_MESSAGE = 300;

/** A whole answer wrapped in one Markdown code fence (OpenAI-compatible servers without a JSON mode do this). */
const FENCED = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?\s*```\s*$/;

/**
 * The answer's JSON, validated by `schema`: the typed value, or an
 * `ObjectValidationError` carrying the raw text and the issues.
 */
export async function validateObject<T>(
  schema: StandardSchemaV1<unknown, T>,
  schemaName: string,
  response: Pick<ChatResponse, "text" | "finishReason" | "provider">,
  attempts = 1,
): Promise<T> {
  const text = response.text;
  const fail = (issues: ObjectIssue[]) =>
    new ObjectValidationError({
      schemaName,
      text,
      issues,
      finishReason: response.finishReason,
      provider: response.provider,
      attempts,
    });
  let value: unknown;
  try {
    value = JSON.parse(FENCED.exec(text)?.[1] ?? text);
  } catch (cause) {
    throw fail([{ path: "", message: `not valid JSON (${(cause as Error).message})` }]);
  }
  const result = await schema["~standard"].validate(value);
  if (result.issues === undefined) return result.value;
  throw fail(result.issues.slice(0, MAX_ISSUES).map(toObjectIssue));
}

function toObjectIssue(issue: StandardSchemaV1.Issue): ObjectIssue {
  const message =
    issue.message.length > MAX_ISSUE_MESSAGE
      ? `${issue.message.slice(0, MAX_ISSUE_MESSAGE)}…`
      : issue.message;
  return { path: formatPath(issue.path), message };
}

/** `["items", 2, "price"]` → `items[2].price`. */
function formatPath(path: StandardSchemaV1.Issue["path"]): string {
  if (path === undefined) return "";
  let out = "";
  for (const segment of path) {
    const key = typeof segment === "object" && segment !== null ? segment.key : segment;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}
