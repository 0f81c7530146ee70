import { type CachedAnswer, cacheMiddleware, SmartCache, TieredCache } from "@llm/cache";
import { compose, generateObject, type LLMClient, streamObject } from "@llm/core";
import { createAnthropic } from "@llm/provider-anthropic";
import { createGemini } from "@llm/provider-gemini";
import { createOllama } from "@llm/provider-ollama";
import { createOpenAI } from "@llm/provider-openai";
import { type MockProvider, type ProviderName, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Fields } from "../src/workflow/ticket-schemas.js";

/** Each provider on its testkit server, and where its native JSON mode shows in the wire body. */
const PROVIDERS: ReadonlyArray<{
  name: ProviderName;
  create(baseURL: string): LLMClient;
  nativeMode(body: Record<string, unknown>): unknown;
}> = [
  {
    name: "openai",
    create: (baseURL) =>
      createOpenAI({ baseURL, apiKey: "sk-test-structured", model: "gpt-4o-mini" }),
    nativeMode: (body) => (body.response_format as { type: string }).type,
  },
  {
    name: "anthropic",
    create: (baseURL) =>
      createAnthropic({ baseURL, apiKey: "sk-ant-test-structured", model: "claude-haiku-4-5" }),
    nativeMode: (body) => body.tool_choice,
  },
  {
    name: "gemini",
    create: (baseURL) =>
      createGemini({ baseURL, apiKey: "test-structured", model: "gemini-2.5-flash" }),
    nativeMode: (body) => (body.generationConfig as { responseMimeType: string }).responseMimeType,
  },
  {
    name: "ollama",
    create: (baseURL) => createOllama({ baseURL, model: "llama3.2", env: {} }),
    nativeMode: (body) => (body.format as { type: string }).type,
  },
];

/** How each provider the demo runs on asks for JSON natively. */
const NATIVE: Partial<Record<ProviderName, unknown>> = {
  openai: "json_schema",
  anthropic: { type: "tool", name: "json" },
  gemini: "application/json",
  ollama: "object",
};

const ask = {
  messages: [{ role: "user" as const, content: "Order #A-1 arrived broken, please help fast" }],
  temperature: 0,
  schema: Fields,
  schemaName: "fields",
};

const mocks = new Map<ProviderName, MockProvider>();
beforeAll(async () => {
  for (const { name } of PROVIDERS) mocks.set(name, await startMockProvider({ provider: name }));
});
afterAll(async () => {
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
});

describe.each(PROVIDERS)(
  "typed objects through $name's native JSON mode",
  ({ name, create, nativeMode }) => {
    const mock = () => mocks.get(name) as MockProvider;

    it("generateObject returns an object the schema accepted", async () => {
      const { object } = await generateObject(create(mock().baseURL), ask);
      expect(Fields.safeParse(object).success).toBe(true);
      expect(nativeMode(mock().requests.at(-1)?.body as Record<string, unknown>)).toEqual(
        NATIVE[name],
      );
    });

    it("streamObject yields partials, then the same object generateObject gets", async () => {
      const { object } = await generateObject(create(mock().baseURL), ask);
      const kinds: string[] = [];
      let streamed: unknown;
      for await (const event of streamObject(create(mock().baseURL), ask)) {
        kinds.push(event.type);
        if (event.type === "object") streamed = event.object;
      }
      expect(kinds.at(-1)).toBe("object");
      expect(kinds.filter((kind) => kind === "partial").length).toBeGreaterThan(0);
      expect(streamed).toEqual(object);
    });
  },
);

describe("typed objects and the cache", () => {
  it("serves a repeated generateObject from the cache, and keys on the schema", async () => {
    const mock = mocks.get("openai") as MockProvider;
    mock.reset();
    const cache = new TieredCache<CachedAnswer>({
      l1: new SmartCache<CachedAnswer>({ maxBytes: 1 << 20 }),
    });
    const client = compose(
      createOpenAI({ baseURL: mock.baseURL, apiKey: "sk-test-structured", model: "gpt-4o-mini" }),
      cacheMiddleware({ cache }),
    );
    const first = await generateObject(client, ask);
    const second = await generateObject(client, ask);
    expect(first.response.origin.type).toBe("upstream");
    expect(second.response.origin).toMatchObject({ type: "cache", level: "l1" });
    expect(second.object).toEqual(first.object);
    await generateObject(client, { ...ask, schema: Fields.extend({ note: Fields.shape.product }) });
    expect(mock.requests).toHaveLength(2);
  });
});
