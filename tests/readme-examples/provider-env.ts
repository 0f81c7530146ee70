import { startMockProvider } from "@llm/testkit";

/**
 * The environment a user with real accounts would have — `OPENAI_API_KEY`,
 * `OPENAI_BASE_URL`, `ANTHROPIC_*`, `OLLAMA_HOST` — pointing at testkit
 * servers speaking each provider's wire format. An example that reads its
 * key and endpoint from the environment then runs unchanged here and against
 * the real APIs.
 */
export interface ProviderEnv {
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startProviderEnv(): Promise<ProviderEnv> {
  const [openai, anthropic, ollama] = await Promise.all([
    startMockProvider({ provider: "openai" }),
    startMockProvider({ provider: "anthropic" }),
    startMockProvider({ provider: "ollama" }),
  ]);
  return {
    env: {
      OPENAI_API_KEY: "sk-readme-example-0123456789",
      OPENAI_BASE_URL: openai.baseURL,
      ANTHROPIC_API_KEY: "sk-ant-readme-example-0123456789",
      ANTHROPIC_BASE_URL: anthropic.origin,
      OLLAMA_HOST: ollama.origin,
    },
    close: async () => {
      await Promise.all([openai.close(), anthropic.close(), ollama.close()]);
    },
  };
}
