import type { ProviderAdapter } from "../provider-adapter.js";
import type { ProviderName } from "../types.js";
import { anthropicAdapter } from "./anthropic.js";
import { azureOpenAIAdapter } from "./azure-openai.js";
import { bedrockAdapter } from "./bedrock.js";
import { geminiAdapter } from "./gemini.js";
import { mistralAdapter } from "./mistral.js";
import { ollamaAdapter } from "./ollama.js";
import { openaiAdapter } from "./openai.js";

export const adapters: Record<ProviderName, ProviderAdapter> = {
  openai: openaiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  ollama: ollamaAdapter,
  "azure-openai": azureOpenAIAdapter,
  mistral: mistralAdapter,
  bedrock: bedrockAdapter,
};
