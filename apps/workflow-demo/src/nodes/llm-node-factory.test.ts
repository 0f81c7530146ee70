import { ObjectValidationError } from "@llm/core";
import type { LLMClientFactory } from "@llm/di";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallRecord, NodeContext } from "../engine/types.js";
import { Classification } from "../workflow/ticket-schemas.js";
import { LLMNodeFactory } from "./llm-node-factory.js";

interface State {
  text: string;
  category?: string;
}

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider({ provider: "openai" });
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());

/** The factory as a node sees it: one OpenAI client on the mock, whatever the name. */
function nodes(): LLMNodeFactory {
  const client = createOpenAI({
    baseURL: mock.baseURL,
    apiKey: "sk-test-node",
    model: "gpt-4o-mini",
  });
  return new LLMNodeFactory({ get: () => client } as unknown as LLMClientFactory);
}

function context(): NodeContext & { records: CallRecord[] } {
  const records: CallRecord[] = [];
  return { signal: new AbortController().signal, record: (r) => records.push(r), records };
}

const classify = () =>
  nodes().createObject<State, { category: string }>({
    name: "classify",
    llmClient: "classifier",
    schema: Classification,
    schemaName: "classification",
    prompt: (s) => ({ messages: [{ role: "user", content: s.text }] }),
    toState: ({ category }) => ({ category }),
  });

describe("LLMNodeFactory.createObject", () => {
  it("asks in the provider's native JSON mode and puts the typed object in the state", async () => {
    mock.enqueue({ text: '{"category":"billing"}' });
    const ctx = context();
    expect(await classify().run({ text: "Charged twice" }, ctx)).toEqual({ category: "billing" });
    const body = mock.requests[0]?.body as { response_format: unknown };
    expect(body.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "classification", strict: true },
    });
    expect(ctx.records).toMatchObject([
      { node: "classify", streamed: false, model: "gpt-4o-mini" },
    ]);
  });

  it("sends a refused answer back once and takes the corrected one", async () => {
    mock.enqueue({ text: '{"category":"refund"}' }, { text: '{"category":"other"}' });
    expect(await classify().run({ text: "Hm" }, context())).toEqual({ category: "other" });
    expect(mock.requests).toHaveLength(2);
  });

  it("fails the node with ObjectValidationError, recorded, when the repair is refused too", async () => {
    mock.enqueue({ text: "billing" }, { text: "still not JSON" });
    const ctx = context();
    await expect(classify().run({ text: "Hm" }, ctx)).rejects.toBeInstanceOf(ObjectValidationError);
    expect(ctx.records[0]?.error).toMatch(/does not match the "classification" schema/);
  });
});
