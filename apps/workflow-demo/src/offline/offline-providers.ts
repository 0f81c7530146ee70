import { type MockProvider, startMockProvider } from "@llm/testkit";

type ProviderName = "openai" | "anthropic" | "gemini" | "ollama";

/** For each provider: the variable that means "use the real one", and the one the config reads its URL from. */
const PROVIDERS: ReadonlyArray<{ name: ProviderName; realWhen: string[]; urlVariable: string }> = [
  { name: "openai", realWhen: ["OPENAI_API_KEY"], urlVariable: "LLM_DEMO_OPENAI_URL" },
  { name: "anthropic", realWhen: ["ANTHROPIC_API_KEY"], urlVariable: "LLM_DEMO_ANTHROPIC_URL" },
  {
    name: "gemini",
    realWhen: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    urlVariable: "LLM_DEMO_GEMINI_URL",
  },
  { name: "ollama", realWhen: ["OLLAMA_URL"], urlVariable: "OLLAMA_URL" },
];

export interface OfflineProviders {
  /** Variables to add to the environment the config is loaded with. */
  env: Record<string, string>;
  mocks: Partial<Record<ProviderName, MockProvider>>;
  close(): Promise<void>;
}

export interface OfflineOptions {
  /** Per-call latency range, ms (time to headers). */
  latencyMs: [number, number];
  /** Delay between streamed chunks, ms. */
  chunkMs: number;
  /** Providers to answer 503 to everything (to show a fallback). */
  down?: ProviderName[];
}

/**
 * Starts a testkit server for every provider the user has not configured for
 * real, with realistic latency, and returns the URLs to point the config at.
 */
export async function startOfflineProviders(
  env: Record<string, string | undefined>,
  options: OfflineOptions,
): Promise<OfflineProviders> {
  const mocks: Partial<Record<ProviderName, MockProvider>> = {};
  const added: Record<string, string> = {};
  for (const { name, realWhen, urlVariable } of PROVIDERS) {
    if (realWhen.some((variable) => env[variable])) continue;
    const mock = await startMockProvider({
      provider: name,
      latency: { headersMs: options.latencyMs, chunkMs: options.chunkMs },
      seed: 7,
    });
    if (options.down?.includes(name)) mock.when(() => true, { status: 503 });
    mocks[name] = mock;
    added[urlVariable] = mock.baseURL;
  }
  return {
    env: added,
    mocks,
    close: async () => {
      await Promise.all(Object.values(mocks).map((m) => m.close()));
    },
  };
}

export const isProviderName = (value: string): value is ProviderName =>
  PROVIDERS.some((p) => p.name === value);
