import { PROVIDER_NAMES, type ProviderName, startMockProvider } from "@llm/testkit";
import { splitMessages } from "./event-stream.js";

/** A stream body as its provider frames it: text events with a separator, or binary messages. */
export type StreamSample =
  | {
      kind: "text";
      text: string;
      /** What separates two frames of the stream. */
      separator: string;
    }
  | {
      kind: "binary";
      /** One `application/vnd.amazon.eventstream` message each. */
      messages: Uint8Array[];
    };

export interface WireSample {
  json: string;
  stream: StreamSample;
  streamType: string;
}

const PROMPT = "Tell me about caching";
const MESSAGES = [{ role: "user", content: PROMPT }];

interface SampleRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** Every provider the reliability suite feeds raw, mutated or oversized wire bodies. */
export const SAMPLED_PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES;

function requestFor(provider: ProviderName, origin: string, stream: boolean): SampleRequest {
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
    case "azure-openai":
      return {
        url: `${origin}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`,
        headers: { "api-key": "azure-test-key" },
        body: {
          messages: MESSAGES,
          stream,
          stream_options: stream ? { include_usage: true } : undefined,
        },
      };
    case "mistral":
      return {
        url: `${origin}/v1/chat/completions`,
        headers: { authorization: "Bearer mistral-test-key" },
        body: { model: "mistral-small-latest", messages: MESSAGES, stream },
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
        body: { contents: [{ role: "user", parts: [{ text: PROMPT }] }] },
      };
    case "ollama":
      return {
        url: `${origin}/api/chat`,
        headers: {},
        body: { model: "llama3.2", messages: MESSAGES, stream },
      };
    case "bedrock":
      return {
        url: `${origin}/model/anthropic.claude-3-5-haiku-20241022-v1:0/${stream ? "converse-stream" : "converse"}`,
        // A Bedrock API key: testkit checks SigV4 only when the request is signed.
        headers: { authorization: "Bearer bedrock-test-key" },
        body: { messages: [{ role: "user", content: [{ text: PROMPT }] }] },
      };
  }
}

function streamSample(provider: ProviderName, body: Uint8Array): StreamSample {
  if (provider === "bedrock") return { kind: "binary", messages: splitMessages(body) };
  const text = new TextDecoder().decode(body);
  const separator = provider === "ollama" ? "\n" : text.includes("\r\n\r\n") ? "\r\n\r\n" : "\n\n";
  return { kind: "text", text, separator };
}

/** Real bodies in each provider's wire format, taken from a testkit server: the seeds the fuzzer damages. */
export async function wireSample(provider: ProviderName): Promise<WireSample> {
  const mock = await startMockProvider({ provider });
  try {
    const fetchBody = async (stream: boolean) => {
      const { url, headers, body } = requestFor(provider, mock.origin, stream);
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${provider} sample: HTTP ${response.status} from testkit`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { bytes, type: response.headers.get("content-type") ?? "" };
    };
    const json = await fetchBody(false);
    const stream = await fetchBody(true);
    return {
      json: new TextDecoder().decode(json.bytes),
      stream: streamSample(provider, stream.bytes),
      streamType: stream.type,
    };
  } finally {
    await mock.close();
  }
}
