import type { LLMClient, ResponseLimits, Transport } from "@llm/core";
import { createAnthropic } from "@llm/provider-anthropic";
import { createAzureOpenAI } from "@llm/provider-azure-openai";
import { createBedrock } from "@llm/provider-bedrock";
import { createGemini } from "@llm/provider-gemini";
import { createMistral } from "@llm/provider-mistral";
import { createOllama } from "@llm/provider-ollama";
import { createOpenAI } from "@llm/provider-openai";
import type { ProviderName } from "@llm/testkit";

/**
 * A client of `provider` pointed at `origin` — a server that answers whatever bytes a test
 * chooses, on any path — with fake credentials and the given transport and limits.
 */
export function clientFor(
  provider: ProviderName,
  origin: string,
  transport: Transport,
  limits: ResponseLimits = {},
): LLMClient {
  const common = { transport, limits };
  switch (provider) {
    case "openai":
      return createOpenAI({
        apiKey: "sk-test-fuzz",
        baseURL: `${origin}/v1`,
        model: "gpt-4o-mini",
        ...common,
      });
    case "azure-openai":
      return createAzureOpenAI({
        apiKey: "azure-fuzz-key",
        baseURL: `${origin}/openai`,
        deployment: "gpt-4o-mini",
        env: {},
        ...common,
      });
    case "mistral":
      return createMistral({
        apiKey: "mistral-fuzz-key",
        baseURL: `${origin}/v1`,
        model: "mistral-small-latest",
        ...common,
      });
    case "anthropic":
      return createAnthropic({
        apiKey: "sk-ant-fuzz",
        baseURL: origin,
        model: "claude-3-5-haiku-latest",
        ...common,
      });
    case "gemini":
      return createGemini({
        apiKey: "AIza-fuzz",
        baseURL: `${origin}/v1beta`,
        model: "gemini-2.0-flash",
        ...common,
      });
    case "ollama":
      return createOllama({ baseURL: origin, model: "llama3.2", ...common });
    case "bedrock":
      // SigV4-signed with static keys: the signing transport wraps the pool, as in production.
      return createBedrock({
        baseURL: origin,
        region: "us-east-1",
        accessKeyId: "AKIDFUZZ",
        secretAccessKey: "bedrock-fuzz-secret",
        model: "anthropic.claude-3-5-haiku-20241022-v1:0",
        env: {},
        ...common,
      });
  }
}
