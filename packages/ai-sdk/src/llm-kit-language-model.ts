import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";
import { InvalidRequestError, type LLMClient } from "@llm/core";
import { callOptionsOf } from "./call-settings.js";
import { toGenerateResult } from "./convert/to-ai-sdk-result.js";
import { AI_SDK_EXTRAS, toChatRequest } from "./convert/to-chat-request.js";
import { toStreamParts } from "./convert/to-stream-parts.js";

export interface LLMKitLanguageModelOptions {
  /** `modelId` the AI SDK reports (telemetry, `response.modelId` fallback). Default: the client's model. */
  modelId?: string;
  /** `provider` the AI SDK reports. Default: `llm-kit.<client provider>`. */
  provider?: string;
}

/** Images by http(s) URL go to the client as URLs (the AI SDK would otherwise download them). */
const SUPPORTED_URLS = { "image/*": [/^https?:\/\/.*$/] };

/**
 * An llm-kit `LLMClient` — a provider client, or a composed one with cache,
 * retries and fallbacks, e.g. `container.clients.get("summarizer")` — as an
 * AI SDK language model (specification v3, which AI SDK 6 speaks and AI
 * SDK 7 accepts). `generateText`, `streamText`, tools and structured output
 * (`generateObject`, `Output.object`: a JSON-schema response format) work;
 * usage, finish reasons and the answer's origin
 * (`providerMetadata.llmKit.origin`: a cache hit or not) are mapped.
 *
 * The client's own retries apply; set the AI SDK's `maxRetries: 0` to avoid
 * retrying twice. Prompt content llm-kit has no type for (non-image files,
 * tool approvals, provider-executed tools) is refused with an
 * `InvalidRequestError` naming where it was.
 */
export function llmKitLanguageModel(
  client: LLMClient,
  options: LLMKitLanguageModelOptions = {},
): LanguageModelV3 {
  const provider = options.provider ?? `llm-kit.${client.provider}`;
  const modelId = options.modelId ?? client.model ?? client.provider;

  const prepare = (params: LanguageModelV3CallOptions) => {
    const converted = toChatRequest(params);
    if (!converted.ok) {
      throw new InvalidRequestError(
        `${provider} cannot send ${converted.reason} (at ${converted.where})`,
        { provider },
      );
    }
    const request = converted.request;
    // Prompt details only the AI SDK's own providers understand are not sent; the
    // client's provider reads its own namespace of `providerOptions` only.
    if (request.providerOptions?.[AI_SDK_EXTRAS] !== undefined) {
      const { [AI_SDK_EXTRAS]: _extras, ...rest } = request.providerOptions;
      if (Object.keys(rest).length > 0) request.providerOptions = rest;
      else delete request.providerOptions;
    }
    return { request, callOptions: callOptionsOf(params) };
  };

  return {
    specificationVersion: "v3",
    provider,
    modelId,
    supportedUrls: SUPPORTED_URLS,

    async doGenerate(params): Promise<LanguageModelV3GenerateResult> {
      const { request, callOptions } = prepare(params);
      return toGenerateResult(await client.generate(request, callOptions));
    },

    async doStream(params): Promise<LanguageModelV3StreamResult> {
      const { request, callOptions } = prepare(params);
      return { stream: toStreamParts(client.stream(request, callOptions)) };
    },
  };
}
