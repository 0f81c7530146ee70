import { ConfigError } from "../errors/errors.js";
import type { JsonSchema } from "../json.js";
import type { ResponseFormat } from "../request.js";
import type { StandardSchemaV1 } from "./standard-schema.js";
import { allowsStrictMode } from "./strict-json-schema.js";

/** What `generateObject` / `streamObject` need to ask for, and check, one typed object. */
export interface ObjectSchemaOptions<T> {
  /** Validates the answer and gives it its type: any Standard Schema (zod 4, valibot, arktype, …). */
  schema: StandardSchemaV1<unknown, T>;
  /**
   * The JSON Schema sent to the provider. Optional for schemas that describe
   * themselves (Standard JSON Schema: zod ≥ 4.2 does); required otherwise.
   */
  jsonSchema?: JsonSchema;
  /** Name of the schema on the wire (`[A-Za-z0-9_-]{1,64}`). Default `"response"`. */
  schemaName?: string;
  /** Tells the model what the object is for. */
  schemaDescription?: string;
}

export type JsonSchemaFormat = Extract<ResponseFormat, { type: "json_schema" }>;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_NAME = "response";

/**
 * Response formats already built, per schema object: deriving a JSON Schema
 * is not free, and handing the same format object back lets the cache's key
 * builder reuse its memoised canonical form.
 */
const formats = new WeakMap<object, JsonSchemaFormat>();

/**
 * The `json_schema` response format for `options`: the given or derived JSON
 * Schema, `strict` where the schema allows it (see `allowsStrictMode`).
 * Throws `ConfigError` naming the field when the schema is not a Standard
 * Schema, cannot describe itself and no `jsonSchema` is given, or does not
 * describe an object.
 */
export function objectResponseFormat<T>(options: ObjectSchemaOptions<T>): JsonSchemaFormat {
  const { schema, jsonSchema, schemaName = DEFAULT_NAME, schemaDescription } = options;
  const standard = standardOf(schema);
  if (!NAME.test(schemaName)) {
    throw configError("schemaName", "must match [A-Za-z0-9_-]{1,64} (the providers' rule)");
  }
  const known = jsonSchema === undefined ? formats.get(schema) : undefined;
  if (known !== undefined && known.name === schemaName && known.description === schemaDescription)
    return known;

  const resolved = jsonSchema ?? deriveJsonSchema(standard);
  if (resolved.type !== "object") {
    throw configError(
      "jsonSchema.type",
      'must be "object": every provider\'s native JSON mode wants an object at the root (wrap an array in one)',
    );
  }
  const format: JsonSchemaFormat = {
    type: "json_schema",
    name: schemaName,
    schema: resolved,
    strict: allowsStrictMode(resolved),
  };
  if (schemaDescription !== undefined) format.description = schemaDescription;
  if (jsonSchema === undefined) formats.set(schema, format);
  return format;
}

function standardOf<T>(schema: StandardSchemaV1<unknown, T>): StandardSchemaV1.Props<unknown, T> {
  const standard = (schema as Partial<StandardSchemaV1<unknown, T>> | undefined)?.["~standard"];
  if (standard === undefined || standard.version !== 1 || typeof standard.validate !== "function") {
    throw configError("schema", "expected a Standard Schema (an object with `~standard.validate`)");
  }
  return standard;
}

/**
 * The schema's own JSON Schema, for the *output* type: objects come out
 * closed and defaulted fields required, which is what the model must produce
 * for strict mode. `$schema` is dropped: no provider needs it, and it would
 * only make the same shape key differently per draft.
 */
function deriveJsonSchema(standard: StandardSchemaV1.Props<unknown, unknown>): JsonSchema {
  const converter = standard.jsonSchema;
  if (converter === undefined) {
    throw configError(
      "jsonSchema",
      `required: this ${standard.vendor} schema cannot describe itself as JSON Schema`,
    );
  }
  let derived: Record<string, unknown>;
  try {
    derived = converter.output({ target: "draft-2020-12" });
  } catch (cause) {
    throw configError(
      "jsonSchema",
      `required: the ${standard.vendor} schema could not be converted (${(cause as Error).message})`,
    );
  }
  const { $schema: _draft, ...rest } = derived;
  return rest as JsonSchema;
}

const configError = (path: string, message: string): ConfigError =>
  new ConfigError(`Invalid structured-output ${path}: ${message}`, {
    issues: [{ path, message }],
  });
