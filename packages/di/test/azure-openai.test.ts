import { embed } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LLMContainer } from "../src/index.js";
import { containerFromYaml, tempDir } from "./helpers.js";

/**
 * `provider: azure-openai` loads @llm/provider-azure-openai on demand. A config
 * file has only `model` and `baseURL` for it: the model names the deployment
 * and the api-version rides in baseURL's query.
 */
const KEY = "azure-di-key-0123456789abcdef";
let azure: MockProvider;
const tmp = tempDir();
const open: LLMContainer[] = [];
const ask = { messages: [{ role: "user" as const, content: "What is our refund policy?" }] };

beforeAll(async () => {
  azure = await startMockProvider({ provider: "azure-openai", apiKey: KEY });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  azure.reset();
});
afterAll(async () => {
  await azure.close();
  tmp.remove();
});

const client = (name: string, deployment: string, version = "2024-10-21") => `
  ${name}:
    provider: azure-openai
    model: ${deployment}
    apiKey: ${KEY}
    baseURL: "${azure.baseURL}?api-version=${version}"`;

describe("azure-openai from configuration", () => {
  it("calls the configured deployment with the api-version and the api-key", async () => {
    const c = await containerFromYaml(
      tmp,
      `clients:${client("support", "gpt-4o-prod")}\ncache:\n  l2: { type: none }\n`,
      open,
    );
    azure.enqueue({ text: "Refunds within 30 days." });
    const answer = await c.clients.get("support").generate(ask);
    expect(answer.text).toBe("Refunds within 30 days.");
    expect(answer.provider).toBe("azure-openai");
    const request = azure.requests[0];
    expect(request?.path).toBe("/openai/deployments/gpt-4o-prod/chat/completions");
    expect(request?.query).toEqual({ "api-version": "2024-10-21" });
    expect(request?.headers["api-key"]).toBe(KEY);
  });

  it("never answers one deployment or api-version from another's cache entry", async () => {
    const c = await containerFromYaml(
      tmp,
      `clients:${client("a", "gpt-4o-prod")}${client("b", "gpt-4o-canary")}${client("c", "gpt-4o-prod", "2025-04-01-preview")}\ncache:\n  l2: { type: none }\n`,
      open,
    );
    const first = await c.clients.get("a").generate(ask);
    const again = await c.clients.get("a").generate(ask);
    const otherDeployment = await c.clients.get("b").generate(ask);
    const otherVersion = await c.clients.get("c").generate(ask);
    expect(first.origin).toEqual({ type: "upstream" });
    expect(again.origin).toMatchObject({ type: "cache" });
    expect(otherDeployment.origin).toEqual({ type: "upstream" });
    expect(otherVersion.origin).toEqual({ type: "upstream" });
    expect(azure.requests.map((r) => `${r.path}?${r.query["api-version"]}`)).toEqual([
      "/openai/deployments/gpt-4o-prod/chat/completions?2024-10-21",
      "/openai/deployments/gpt-4o-canary/chat/completions?2024-10-21",
      "/openai/deployments/gpt-4o-prod/chat/completions?2025-04-01-preview",
    ]);
  });

  it("embeds through the embedding deployment named by the model", async () => {
    const c = await containerFromYaml(
      tmp,
      `clients:${client("search", "text-embedding-3-small")}\ncache:\n  l2: { type: none }\n`,
      open,
    );
    const vector = await embed(c.embeddings.get("search"), "refund policy", { dimensions: 16 });
    expect(vector.embedding).toHaveLength(16);
    expect(azure.requests[0]?.path).toBe("/openai/deployments/text-embedding-3-small/embeddings");
  });
});
