import { type ConfigIssue, isSecret, type JsonSchema, revealSecret, Secret } from "@llm/core";
import { isPlainObject } from "./merge.js";

/**
 * Validates a client's `providerSettings` against the provider package's own
 * schema — a JSON Schema, so that providers (which depend on `@llm/core`
 * only) need no schema library. The subset read: `type` (`object`, `string`,
 * `boolean`, `number`, `integer`), `properties`, `additionalProperties:
 * false` (every object here is strict: a typo is an error), `required`,
 * `enum`, `minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, and
 * `writeOnly: true` on a string, which marks a credential: it comes out as a
 * `Secret` whatever its key is named.
 *
 * Keys match the schema's ignoring case, `_` and `-`, so an environment
 * override (`LLM__CLIENTS__AWS__PROVIDER_SETTINGS__SESSION_TOKEN`, whose
 * segments are lower-cased) reaches `sessionToken`. As elsewhere in the
 * config, `"true"` / `"42"` from a `${VAR}` reference are read as a boolean
 * or a number where the schema wants one. Messages never quote a value.
 */
export function checkProviderSettings(
  schema: JsonSchema,
  value: unknown,
  path: string,
): { value: Record<string, unknown>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const checked = checkValue(schema, value, path, issues);
  return { value: isPlainObject(checked) ? checked : {}, issues };
}

const normalizeKey = (key: string) => key.toLowerCase().replace(/[_-]/g, "");

function checkValue(
  schema: JsonSchema,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
): unknown {
  const fail = (message: string) => {
    issues.push({ path, message });
    return undefined;
  };
  if (Array.isArray(schema.enum)) {
    const allowed = schema.enum;
    const plain = isSecret(value) ? value.reveal() : value;
    return allowed.some((option) => option === plain)
      ? plain
      : fail(`expected one of ${allowed.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  switch (schema.type) {
    case "object":
      return checkObject(schema, value, path, issues);
    case "string":
      return checkString(schema, value, fail);
    case "boolean":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return fail("expected true or false");
    case "number":
    case "integer":
      return checkNumber(schema, value, fail);
    default:
      return fail(`the provider's schema has an unsupported type ${JSON.stringify(schema.type)}`);
  }
}

function checkObject(
  schema: JsonSchema,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    issues.push({ path, message: "expected a mapping" });
    return undefined;
  }
  const properties = (isPlainObject(schema.properties) ? schema.properties : {}) as Record<
    string,
    JsonSchema
  >;
  const known = Object.keys(properties);
  const byNormalized = new Map(known.map((key) => [normalizeKey(key), key]));
  const out: Record<string, unknown> = {};
  for (const [given, item] of Object.entries(value)) {
    const key = Object.hasOwn(properties, given) ? given : byNormalized.get(normalizeKey(given));
    const itemPath = `${path}.${given}`;
    if (key === undefined) {
      issues.push({
        path: itemPath,
        message: `unknown key "${given}" (${known.length === 0 ? "this provider takes no settings" : `known keys: ${known.join(", ")}`})`,
      });
      continue;
    }
    const checked = checkValue(properties[key] as JsonSchema, item, itemPath, issues);
    if (checked !== undefined) out[key] = checked;
  }
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const key of required) {
    if (typeof key === "string" && !Object.hasOwn(out, key) && !hasInput(value, key))
      issues.push({ path: `${path}.${key}`, message: "is required" });
  }
  return out;
}

const hasInput = (value: Record<string, unknown>, key: string) =>
  Object.keys(value).some((given) => normalizeKey(given) === normalizeKey(key));

function checkString(
  schema: JsonSchema,
  value: unknown,
  fail: (message: string) => undefined,
): string | Secret | undefined {
  if (typeof value !== "string" && typeof value !== "number" && !isSecret(value))
    return fail("expected a string");
  const text = revealSecret(isSecret(value) ? value : String(value)) as string;
  if (typeof schema.minLength === "number" && text.length < schema.minLength)
    return fail(
      schema.minLength === 1 ? "is empty" : `is shorter than ${schema.minLength} characters`,
    );
  if (typeof schema.maxLength === "number" && text.length > schema.maxLength)
    return fail(`is longer than ${schema.maxLength} characters`);
  if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(text)) {
    const described = typeof schema.description === "string" ? `: ${schema.description}` : "";
    return fail(`does not have the expected form${described}`);
  }
  // A credential stays wrapped; an ordinary setting that happened to be named like one is revealed.
  if (schema.writeOnly === true) return isSecret(value) ? value : new Secret(text);
  return text;
}

function checkNumber(
  schema: JsonSchema,
  value: unknown,
  fail: (message: string) => undefined,
): number | undefined {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && value.trim() !== ""
        ? Number(value)
        : Number.NaN;
  if (!Number.isFinite(number)) return fail("expected a number");
  if (schema.type === "integer" && !Number.isInteger(number)) return fail("expected an integer");
  if (typeof schema.minimum === "number" && number < schema.minimum)
    return fail(`must be at least ${schema.minimum}`);
  if (typeof schema.maximum === "number" && number > schema.maximum)
    return fail(`must be at most ${schema.maximum}`);
  return number;
}
