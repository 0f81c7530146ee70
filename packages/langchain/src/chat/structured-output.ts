import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import {
  assembleStructuredOutputPipeline,
  createContentParser,
  createFunctionCallingParser,
} from "@langchain/core/language_models/structured_output";
import type { BaseMessage } from "@langchain/core/messages";
import type { Runnable } from "@langchain/core/runnables";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { isSerializableSchema } from "@langchain/core/utils/standard_schema";
import { isInteropZodSchema } from "@langchain/core/utils/types";
import { InvalidRequestError, type JsonSchema, type ResponseFormat } from "@llm/core";

/** A zod (3 or 4) schema, a Standard Schema, or a JSON Schema object. */
export type OutputSchema = Parameters<typeof createContentParser>[0];

/** What the model must provide for `structuredOutput`: a way to bind call options and tools. */
export interface StructuredOutputHost {
  withResponseFormat(format: ResponseFormat): Runnable<BaseLanguageModelInput, BaseMessage>;
  withForcedTool(tool: {
    name: string;
    description?: string;
    parameters: JsonSchema;
  }): Runnable<BaseLanguageModelInput, BaseMessage>;
}

/**
 * `withStructuredOutput` for llm-kit clients. The default method,
 * `"jsonSchema"`, puts the schema on our request as `responseFormat`
 * (providers that support it constrain decoding to it); `"jsonMode"` asks for
 * any JSON; `"functionCalling"` forces one tool whose arguments are the
 * output. Whatever comes back is parsed, and validated when the schema can
 * validate (zod, Standard Schema): a mismatch is LangChain's
 * `OutputParserException`, or `parsed: null` with `includeRaw`.
 */
export function structuredOutput(
  host: StructuredOutputHost,
  schema: OutputSchema,
  config: StructuredOutputMethodOptions<boolean> = {},
):
  | Runnable<BaseLanguageModelInput, Record<string, unknown>>
  | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: Record<string, unknown> }> {
  const method = config.method ?? "jsonSchema";
  const jsonSchema = (
    isInteropZodSchema(schema) || isSerializableSchema(schema) ? toJsonSchema(schema) : schema
  ) as JsonSchema;
  const name = config.name ?? (typeof jsonSchema.title === "string" ? jsonSchema.title : "output");
  const description =
    typeof jsonSchema.description === "string" ? jsonSchema.description : undefined;
  const runName = "StructuredOutput";
  switch (method) {
    case "jsonSchema": {
      const format: ResponseFormat = { type: "json_schema", name, schema: jsonSchema };
      if (description !== undefined) format.description = description;
      if (config.strict !== undefined) format.strict = config.strict;
      return assembleStructuredOutputPipeline(
        host.withResponseFormat(format),
        createContentParser(schema),
        config.includeRaw,
        runName,
      );
    }
    case "jsonMode":
      return assembleStructuredOutputPipeline(
        host.withResponseFormat({ type: "json" }),
        createContentParser(schema),
        config.includeRaw,
        runName,
      );
    case "functionCalling":
      return assembleStructuredOutputPipeline(
        host.withForcedTool({
          name,
          parameters: jsonSchema,
          ...(description === undefined ? {} : { description }),
        }),
        createFunctionCallingParser(schema, name),
        config.includeRaw,
        runName,
      );
    default:
      throw new InvalidRequestError(
        `withStructuredOutput: method "${method}" is not supported (jsonSchema, jsonMode and functionCalling are)`,
      );
  }
}
