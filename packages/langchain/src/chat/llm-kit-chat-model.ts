import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type {
  BaseLanguageModelInput,
  StructuredOutputMethodOptions,
} from "@langchain/core/language_models/base";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from "@langchain/core/language_models/chat_models";
import type { AIMessageChunk, BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import type { SerializableSchema } from "@langchain/core/utils/standard_schema";
import type { InteropZodType } from "@langchain/core/utils/types";
import type { CallOptions, ChatRequest, JsonSchema, LLMClient, ResponseFormat } from "@llm/core";
import { type ClientChoice, resolveClient } from "./client-source.js";
import { StreamChunkMapper } from "./stream-chunks.js";
import { type OutputSchema, structuredOutput } from "./structured-output.js";
import { toAIMessage } from "./to-langchain-message.js";
import { toLLMKitMessages } from "./to-llm-kit-messages.js";
import { toToolChoice, toToolDefinition } from "./tool-definitions.js";

/** The request parameters a model instance may fix; they are sent on every call (a call's own `stop` wins). */
const REQUEST_PARAMS = [
  "model",
  "temperature",
  "topP",
  "topK",
  "maxTokens",
  "stop",
  "seed",
  "frequencyPenalty",
  "presencePenalty",
  "providerOptions",
] as const;

/** Request parameters a model instance sends on every call: `ChatRequest`'s own fields (model: default the client's). */
export type LLMKitRequestParams = Pick<ChatRequest, (typeof REQUEST_PARAMS)[number]>;

export interface LLMKitChatModelFields
  extends BaseChatModelParams,
    ClientChoice,
    LLMKitRequestParams {}

export interface LLMKitChatModelCallOptions extends BaseChatModelCallOptions {
  /** Tools for this call (`bindTools` sets them): LangChain tools, OpenAI-format tools or `{ name, parameters }`. */
  tools?: BindToolsInput[];
  /** Our `responseFormat` (`withStructuredOutput` sets it). */
  responseFormat?: ResponseFormat;
  /** Extra HTTP headers for this call. */
  headers?: Record<string, string>;
  /** Labels for llm-kit's hooks, logs and tracing; never sent upstream, never part of a cache key. `{ cache: "bypass" }` skips llm-kit's cache. */
  llmKitMetadata?: Record<string, unknown>;
}

/**
 * A LangChain chat model over an llm-kit client, so a LangChain app gets
 * llm-kit's pool, cache, retries, fallbacks and hooks by swapping its model:
 * `invoke`, `stream` (token chunks), `batch`, `bindTools`,
 * `withStructuredOutput`, `usage_metadata`, abort signals. Errors are
 * llm-kit's own (`RateLimitError`, `TimeoutError`, `AbortError`, …), thrown
 * unchanged. LangChain's own retry and concurrency limit (`maxRetries`,
 * `maxConcurrency`) are not applied: they belong to the client's middleware
 * and pool, and two retry layers would multiply attempts.
 */
export class LLMKitChatModel extends BaseChatModel<LLMKitChatModelCallOptions, AIMessageChunk> {
  static override lc_name(): string {
    return "LLMKitChatModel";
  }

  readonly client: LLMClient;
  readonly params: LLMKitRequestParams;

  constructor(fields: LLMKitChatModelFields) {
    super(fields);
    this.client = resolveClient(fields);
    const params: Record<string, unknown> = {};
    for (const key of REQUEST_PARAMS) if (fields[key] !== undefined) params[key] = fields[key];
    this.params = params as LLMKitRequestParams;
  }

  override _llmType(): string {
    return "llm-kit";
  }

  override get callKeys(): string[] {
    return [
      ...super.callKeys,
      "tools",
      "tool_choice",
      "responseFormat",
      "headers",
      "llmKitMetadata",
    ];
  }

  /**
   * What identifies this model in LangChain cache keys (the LLM string): who
   * answers (provider instance, no credentials) and how.
   */
  override _identifyingParams(): Record<string, unknown> {
    return {
      provider: this.client.provider,
      instance: this.client.cacheScope?.instance,
      model: this.params.model ?? this.client.model,
      ...this.params,
    };
  }

  override invocationParams(options?: this["ParsedCallOptions"]): Omit<ChatRequest, "messages"> {
    const { messages: _, ...params } = this.#request([], options);
    return params;
  }

  override getLsParams(options: this["ParsedCallOptions"]) {
    return {
      ls_provider: this.client.provider,
      ls_model_name: this.params.model ?? this.client.model ?? "",
      ls_model_type: "chat" as const,
      ...(this.params.temperature === undefined ? {} : { ls_temperature: this.params.temperature }),
      ...(this.params.maxTokens === undefined ? {} : { ls_max_tokens: this.params.maxTokens }),
      ...(options.stop === undefined ? {} : { ls_stop: options.stop }),
    };
  }

  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<LLMKitChatModelCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, LLMKitChatModelCallOptions> {
    // Converted once here: the call options (and LangChain's cache key) then hold plain JSON Schema.
    return this.withConfig({ ...kwargs, tools: tools.map(toToolDefinition) });
  }

  async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const response = await this.client.generate(
      this.#request(messages, options),
      this.#callOptions(options),
    );
    const message = toAIMessage(response);
    return {
      generations: [
        {
          text: response.text,
          message,
          generationInfo: { finish_reason: message.response_metadata.finish_reason },
        },
      ],
      llmOutput: {
        tokenUsage: {
          promptTokens: response.usage.inputTokens,
          completionTokens: response.usage.outputTokens,
          totalTokens: response.usage.totalTokens,
        },
      },
    };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const mapper = new StreamChunkMapper();
    for await (const event of this.client.stream(
      this.#request(messages, options),
      this.#callOptions(options),
    )) {
      const chunk = mapper.map(event);
      if (chunk === undefined) continue;
      yield chunk;
      if (chunk.text !== "")
        await runManager?.handleLLMNewToken(
          chunk.text,
          undefined,
          undefined,
          undefined,
          undefined,
          { chunk },
        );
    }
  }

  override withStructuredOutput<
    RunOutput extends Record<string, unknown> = Record<string, unknown>,
  >(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<
    RunOutput extends Record<string, unknown> = Record<string, unknown>,
  >(
    outputSchema: SerializableSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput<
    RunOutput extends Record<string, unknown> = Record<string, unknown>,
  >(
    outputSchema: InteropZodType<RunOutput> | JsonSchema,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<
    RunOutput extends Record<string, unknown> = Record<string, unknown>,
  >(
    outputSchema: InteropZodType<RunOutput> | JsonSchema,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput(
    outputSchema: OutputSchema,
    config?: StructuredOutputMethodOptions<boolean>,
  ):
    | Runnable<BaseLanguageModelInput, Record<string, unknown>>
    | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: Record<string, unknown> }> {
    return structuredOutput(
      {
        withResponseFormat: (responseFormat) => this.withConfig({ responseFormat }),
        withForcedTool: (tool) => this.bindTools([tool], { tool_choice: tool.name }),
      },
      outputSchema,
      config,
    );
  }

  /** Our request: the instance's parameters, then the call's (stop, tools, tool choice, response format). */
  #request(
    messages: BaseMessage[],
    options: Partial<LLMKitChatModelCallOptions> = {},
  ): ChatRequest {
    const request: ChatRequest = { ...this.params, messages: toLLMKitMessages(messages) };
    if (options.stop !== undefined) request.stop = options.stop;
    if (options.tools !== undefined && options.tools.length > 0)
      request.tools = options.tools.map(toToolDefinition);
    const toolChoice = toToolChoice(options.tool_choice);
    if (toolChoice !== undefined) request.toolChoice = toolChoice;
    if (options.responseFormat !== undefined) request.responseFormat = options.responseFormat;
    return request;
  }

  #callOptions(options: this["ParsedCallOptions"]): CallOptions {
    const call: CallOptions = {};
    if (options.signal !== undefined) call.signal = options.signal;
    if (options.timeout !== undefined) call.timeoutMs = options.timeout;
    if (options.headers !== undefined) call.headers = options.headers;
    if (options.llmKitMetadata !== undefined) call.metadata = options.llmKitMetadata;
    return call;
  }
}
