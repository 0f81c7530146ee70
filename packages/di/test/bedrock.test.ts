import type { ChatRequest } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { LLMContainer } from "../src/index.js";
import { containerFromYaml, tempDir } from "./helpers.js";

/**
 * `provider: bedrock` is loaded on demand (`@llm/provider-bedrock`) and its
 * two ways to authenticate work from configuration: `apiKey` as a Bedrock API
 * key (bearer), or nothing in the file and the AWS SDK's default credential
 * chain and `AWS_REGION` from the environment (SigV4).
 */
const ask = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });
const MODEL = "anthropic.claude-3-5-haiku-20241022-v1:0";
let mock: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];

beforeAll(async () => {
  mock = await startMockProvider({ provider: "bedrock" });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  mock.reset();
});
afterAll(async () => {
  await mock.close();
  tmp.remove();
});

describe("provider: bedrock from config", () => {
  it("sends the configured apiKey as a Bedrock API key and serves the repeat from the cache", async () => {
    const c = await containerFromYaml(
      tmp,
      `
clients:
  claude:
    provider: bedrock
    model: ${MODEL}
    apiKey: bedrock-api-key-di-test
    baseURL: ${mock.baseURL}
cache:
  enabled: true
  l2: { type: none }
`,
      open,
    );
    const client = c.clients.get("claude");
    const first = await client.generate(ask("hello bedrock"));
    const second = await client.generate(ask("hello bedrock"));
    expect(first).toMatchObject({
      provider: "bedrock",
      model: MODEL,
      origin: { type: "upstream" },
    });
    expect(second.origin).toMatchObject({ type: "cache" });
    expect(mock.requests).toHaveLength(1);
    expect(mock.requests[0]?.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse`);
    expect(mock.requests[0]?.headers.authorization).toBe("Bearer bedrock-api-key-di-test");
  });

  it("signs with SigV4 from the default credential chain and AWS_REGION when no key is configured", async () => {
    vi.stubEnv("AWS_REGION", "eu-north-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDDITEST");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "di-secret-access-key");
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    const c = await containerFromYaml(
      tmp,
      `
clients:
  nova:
    provider: bedrock
    model: amazon.nova-lite-v1:0
    baseURL: ${mock.baseURL}
    params: { temperature: 0.1 }
`,
      open,
    );
    let text = "";
    for await (const event of c.clients.get("nova").stream(ask("stream from bedrock"))) {
      if (event.type === "text-delta") text += event.delta;
    }
    expect(text.length).toBeGreaterThan(0);
    const request = mock.requests[0];
    expect(request?.path).toBe(
      `/model/${encodeURIComponent("amazon.nova-lite-v1:0")}/converse-stream`,
    );
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDDITEST\/\d{8}\/eu-north-1\/bedrock\/aws4_request/,
    );
    expect(request?.body).toMatchObject({ inferenceConfig: { temperature: 0.1 } });
  });
});
