import type { LanguageModelV3 } from "@ai-sdk/provider";
import { ConfigError, type LLMClient } from "@llm/core";
import { type LLMKitLanguageModelOptions, llmKitLanguageModel } from "./llm-kit-language-model.js";

/**
 * Named clients, as `createLLMContainer(...)` returns them (`container.clients`);
 * any object with `get(name)` will do.
 */
export interface NamedClients {
  get(name: string): LLMClient;
}

export interface LLMKitProviderOptions {
  /** Where clients are looked up by name: `container.clients`, or a plain record. */
  clients: NamedClients | Readonly<Record<string, LLMClient>>;
}

/** `provider("summarizer")` → that llm-kit client as an AI SDK language model. */
export interface LLMKitProvider {
  (clientName: string, options?: LLMKitLanguageModelOptions): LanguageModelV3;
  languageModel(clientName: string, options?: LLMKitLanguageModelOptions): LanguageModelV3;
}

/**
 * An AI SDK provider over llm-kit's named clients: `generateText({ model:
 * llmKit("summarizer"), … })` calls the container's `summarizer` client,
 * with everything its config gives it (cache, pool, retries, fallbacks,
 * hooks). An unknown name fails at once, naming the ones there are.
 */
export function createLLMKitProvider(options: LLMKitProviderOptions): LLMKitProvider {
  const { clients } = options;
  const lookup = (name: string): LLMClient => {
    if (isNamedClients(clients)) return clients.get(name);
    const client = Object.hasOwn(clients, name) ? clients[name] : undefined;
    if (client === undefined) {
      const known = Object.keys(clients).join(", ") || "none";
      throw new ConfigError(`No llm-kit client named "${name}" (clients: ${known})`);
    }
    return client;
  };
  const languageModel = (name: string, modelOptions?: LLMKitLanguageModelOptions) => {
    const client = lookup(name);
    return llmKitLanguageModel(client, { modelId: client.model ?? name, ...modelOptions });
  };
  return Object.assign(languageModel, { languageModel });
}

function isNamedClients(value: LLMKitProviderOptions["clients"]): value is NamedClients {
  return typeof (value as { get?: unknown }).get === "function" && !("generate" in value);
}
