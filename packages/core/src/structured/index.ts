export { generateObject, type ObjectResult, repairPrompt } from "./generate-object.js";
export type {
  GenerateObjectOptions,
  ObjectRequest,
  StreamObjectOptions,
} from "./object-request.js";
export {
  type JsonSchemaFormat,
  type ObjectSchemaOptions,
  objectResponseFormat,
} from "./object-schema.js";
export {
  type ObjectIssue,
  ObjectValidationError,
  type ObjectValidationErrorOptions,
} from "./object-validation-error.js";
export { PartialJsonParser, type PartialJsonParserOptions } from "./partial-json.js";
export type { StandardJSONSchemaV1, StandardSchemaV1 } from "./standard-schema.js";
export { type ObjectStreamEvent, type PartialObject, streamObject } from "./stream-object.js";
export { allowsStrictMode } from "./strict-json-schema.js";
export { validateObject } from "./validate-object.js";
