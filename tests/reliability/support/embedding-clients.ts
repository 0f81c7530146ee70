import type { EmbeddingClient, Transport } from "@llm/core";
import { createAzureOpenAIEmbeddings } from "@llm/provider-azure-openai";
import { createBedrockEmbeddings } from "@llm/provider-bedrock";
import { createGeminiEmbeddings } from "@llm/provider-gemini";
import { createMistralEmbeddings } from "@llm/provider-mistral";
import { createOllamaEmbeddings } from "@llm/provider-ollama";
import { createOpenAIEmbeddings } from "@llm/provider-openai";

/** The six providers with an embeddings API (Anthropic has none). */
export const EMBEDDING_PROVIDERS = [
  "openai",
  "azure-openai",
  "mistral",
  "gemini",
  "ollama",
  "bedrock",
] as const;
export type EmbeddingProvider = (typeof EMBEDDING_PROVIDERS)[number];

/** An embeddings client of `provider` pointed at `origin` with fake credentials. */
export function embeddingClientFor(
  provider: EmbeddingProvider,
  origin: string,
  transport?: Transport,
): EmbeddingClient {
  const common = transport === undefined ? {} : { transport };
  switch (provider) {
    case "openai":
      return createOpenAIEmbeddings({
        apiKey: "sk-test-fuzz",
        baseURL: `${origin}/v1`,
        model: "text-embedding-3-small",
        ...common,
      });
    case "azure-openai":
      return createAzureOpenAIEmbeddings({
        apiKey: "azure-fuzz-key",
        baseURL: `${origin}/openai`,
        deployment: "text-embedding-3-small",
        env: {},
        ...common,
      });
    case "mistral":
      return createMistralEmbeddings({
        apiKey: "mistral-fuzz-key",
        baseURL: `${origin}/v1`,
        model: "mistral-embed",
        ...common,
      });
    case "gemini":
      return createGeminiEmbeddings({
        apiKey: "AIza-fuzz",
        baseURL: `${origin}/v1beta`,
        model: "text-embedding-004",
        ...common,
      });
    case "ollama":
      return createOllamaEmbeddings({ baseURL: origin, model: "nomic-embed-text", ...common });
    case "bedrock":
      return createBedrockEmbeddings({
        baseURL: origin,
        region: "us-east-1",
        apiKey: "bedrock-fuzz-key",
        model: "amazon.titan-embed-text-v2:0",
        env: {},
        ...common,
      });
  }
}
