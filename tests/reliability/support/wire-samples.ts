import { type ProviderName, startMockProvider } from "@llm/testkit";

export interface WireSample {
  json: string;
  stream: string;
  streamType: string;
  /** What separates two frames of the stream. */
  separator: string;
}

const MESSAGES = [{ role: "user", content: "Tell me about caching" }];

interface SampleRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * The providers the reliability suite feeds raw, mutated or oversized wire bodies. Newer
 * providers (Azure OpenAI, Mistral, Bedrock) get malformed bodies and response limits from
 * `describeProvider()`.
 */
export type SampledProvider = Extract<ProviderName, "openai" | "anthropic" | "gemini" | "ollama">;

function requestFor(provider: SampledProvider, origin: string, stream: boolean): SampleRequest {
  switch (provider) {
    case "openai":
      return {
        url: `${origin}/v1/chat/completions`,
        headers: { authorization: "Bearer sk-test" },
        body: {
          model: "gpt-4o-mini",
          messages: MESSAGES,
          stream,
          stream_options: stream ? { include_usage: true } : undefined,
        },
      };
    case "anthropic":
      return {
        url: `${origin}/v1/messages`,
        headers: { "x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01" },
        body: { model: "claude-3-5-haiku-latest", max_tokens: 100, messages: MESSAGES, stream },
      };
    case "gemini":
      return {
        url: `${origin}/v1beta/models/gemini-2.0-flash:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`,
        headers: { "x-goog-api-key": "AIza-test" },
        body: { contents: [{ role: "user", parts: [{ text: MESSAGES[0]?.content }] }] },
      };
    case "ollama":
      return {
        url: `${origin}/api/chat`,
        headers: {},
        body: { model: "llama3.2", messages: MESSAGES, stream },
      };
  }
}

/** Real bodies in each provider's wire format, taken from a testkit server: the seeds the fuzzer damages. */
export async function wireSample(provider: SampledProvider): Promise<WireSample> {
  const mock = await startMockProvider({ provider });
  try {
    const fetchText = async (stream: boolean) => {
      const { url, headers, body } = requestFor(provider, mock.origin, stream);
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      return { text: await response.text(), type: response.headers.get("content-type") ?? "" };
    };
    const json = await fetchText(false);
    const stream = await fetchText(true);
    const separator =
      provider === "ollama" ? "\n" : stream.text.includes("\r\n\r\n") ? "\r\n\r\n" : "\n\n";
    return { json: json.text, stream: stream.text, streamType: stream.type, separator };
  } finally {
    await mock.close();
  }
}

export const SAMPLED_PROVIDERS: SampledProvider[] = ["openai", "anthropic", "gemini", "ollama"];
