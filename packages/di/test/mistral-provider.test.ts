import { collectStream, embedMany } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LLMContainer } from "../src/index.js";
import { containerFromYaml, tempDir } from "./helpers.js";

/** `provider: mistral` in a config loads @llm/provider-mistral on demand, by convention. */
const KEY = "mistral-di-test-key-0123";
let mock: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];
beforeAll(async () => {
  mock = await startMockProvider({ provider: "mistral", apiKey: KEY });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  mock.reset();
});
afterAll(async () => {
  await mock.close();
  tmp.remove();
});

const yaml = () => `
clients:
  writer:
    provider: mistral
    model: mistral-small-latest
    apiKey: ${KEY}
    baseURL: ${mock.baseURL}
    params: { temperature: 0.1, seed: 42, safe_prompt: true }
  search:
    provider: mistral
    model: mistral-embed
    apiKey: ${KEY}
    baseURL: ${mock.baseURL}
`;

describe("provider: mistral through createLLMContainer", () => {
  it("builds a client from config that generates and streams against the Mistral wire format", async () => {
    const c = await containerFromYaml(tmp, yaml(), open);
    const writer = c.clients.get("writer");
    mock.enqueue({ text: "Bonjour from the container" }, { text: "streamed bonjour" });
    const answer = await writer.generate({ messages: [{ role: "user", content: "Say hi" }] });
    expect(answer).toMatchObject({
      provider: "mistral",
      text: "Bonjour from the container",
      finishReason: "stop",
    });
    const request = mock.requests[0];
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toMatchObject({
      model: "mistral-small-latest",
      temperature: 0.1,
      random_seed: 42,
      safe_prompt: true,
    });
    const streamed = await collectStream(
      writer.stream({ messages: [{ role: "user", content: "Say hi again" }] }),
    );
    expect(streamed.text).toBe("streamed bonjour");
  });

  it("hands out Mistral embeddings from a configured client", async () => {
    const c = await containerFromYaml(tmp, yaml(), open);
    const search = c.embeddings.get("search");
    expect(search.provider).toBe("mistral");
    const { embeddings } = await embedMany(search, ["red", "green"]);
    expect(embeddings.map((v) => v.length)).toEqual([1024, 1024]);
    expect(mock.requests.at(-1)?.path).toBe("/v1/embeddings");
  });
});
