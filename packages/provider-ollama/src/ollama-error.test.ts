import { collectStream, InvalidRequestError, ProviderError } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOllama } from "./ollama-provider.js";

let mock: MockProvider;
let ollama: ReturnType<typeof createOllama>;
const hello = { messages: [{ role: "user" as const, content: "Hello" }] };

beforeAll(async () => {
  mock = await startMockProvider({ provider: "ollama" });
  ollama = createOllama({ baseURL: mock.baseURL, model: "llama3.2", env: {} });
});

beforeEach(() => mock.reset());

afterAll(async () => {
  await mock.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error,
  );

describe("Ollama error mapping", () => {
  it("names the model and the pull command when the model is not found (404)", async () => {
    mock.enqueue({
      status: 404,
      body: { error: 'model "mistral-nope" not found, try pulling it first' },
    });
    const error = await failure(ollama.generate({ ...hello, model: "mistral-nope" }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ status: 404, retryable: false });
    expect((error as Error).message).toBe(
      'ollama has no model "mistral-nope" (HTTP 404): run `ollama pull mistral-nope` on the server',
    );
  });

  it("keeps a 404 from a wrong path as a plain InvalidRequestError", async () => {
    const wrong = createOllama({ baseURL: `${mock.baseURL}/v1`, model: "llama3.2", env: {} });
    const error = await failure(wrong.generate(hello));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("404 page not found");
  });

  it("maps a 400 with Ollama's error text to InvalidRequestError", async () => {
    mock.enqueue({
      status: 400,
      body: { error: 'invalid format: expected "json" or a JSON schema' },
    });
    const error = await failure(ollama.generate(hello));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toBe(
      'ollama returned HTTP 400: invalid format: expected "json" or a JSON schema',
    );
  });

  it("maps a 503 busy server to a retryable ProviderError", async () => {
    mock.enqueue({ status: 503 });
    const error = await failure(ollama.generate(hello));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect((error as Error).message).toContain("server busy");
  });

  it("throws the mapped error for an error line in the middle of a stream", async () => {
    mock.enqueue({ fault: "error-mid-stream", afterChunks: 1 });
    const error = await failure(
      collectStream(ollama.stream({ messages: [{ role: "user", content: "a b c" }] })),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 500, retryable: true });
    expect((error as Error).message).toContain("unexpected EOF");
  });

  it("throws for a 200 answer that carries only an error", async () => {
    mock.enqueue({ status: 200, body: { error: 'model "x" not found' } });
    const error = await failure(ollama.generate({ ...hello, model: "x" }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain("ollama pull x");
  });
});
