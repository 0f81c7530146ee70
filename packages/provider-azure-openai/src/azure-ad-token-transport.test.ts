import { AbortError, AuthenticationError, collectStream } from "@llm/core";
import { ConnectionPool } from "@llm/pool";
import { startMockProvider } from "@llm/testkit";
import { useMockProvider } from "@llm/testkit/vitest";
import { describe, expect, it } from "vitest";
import {
  type AzureADTokenProvider,
  createAzureOpenAI,
  MAX_AZURE_AD_TOKEN_BYTES,
  withAzureADToken,
} from "./index.js";

const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.entra-token-one.signature";
const mock = useMockProvider({ provider: "azure-openai" });

const hi = { messages: [{ role: "user" as const, content: "Hi" }] };
const client = (azureADTokenProvider: AzureADTokenProvider, pool?: ConnectionPool) =>
  createAzureOpenAI({
    baseURL: mock.baseURL,
    azureADTokenProvider,
    model: "gpt-4o",
    env: {},
    ...(pool === undefined ? {} : { transport: pool }),
  });

describe("azureADTokenProvider", () => {
  it("asks for a token on every request and sends each as a bearer token, generate and stream", async () => {
    const tokens = [TOKEN, `${TOKEN}-two`, `${TOKEN}-three`];
    let calls = 0;
    const entra = client(async () => tokens[calls++] as string);
    mock.enqueue({ text: "one" }, { text: "two" }, { text: "three" });
    expect((await entra.generate(hi)).text).toBe("one");
    expect((await entra.generate(hi)).text).toBe("two");
    expect((await collectStream(entra.stream(hi))).text).toBe("three");
    expect(calls).toBe(3);
    expect(mock.requests.map((r) => r.headers.authorization)).toEqual(
      tokens.map((token) => `Bearer ${token}`),
    );
    expect(mock.requests.every((r) => r.headers["api-key"] === undefined)).toBe(true);
  });

  it("works over @llm/pool, and closing the wrapped transport closes the pool", async () => {
    const pool = new ConnectionPool();
    mock.enqueue({ text: "pooled" });
    expect((await client(async () => TOKEN, pool).generate(hi)).text).toBe("pooled");
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const wrapped = withAzureADToken(pool, "azure-openai", async () => TOKEN);
    await wrapped.close?.();
    await expect(
      wrapped.request({ url: `${mock.baseURL}/models`, method: "GET", headers: {} }),
    ).rejects.toMatchObject({ name: "PoolClosedError" });
  });

  it("turns a failing provider into an AuthenticationError that sends nothing and hides secrets", async () => {
    const entra = client(async () => {
      throw new Error(
        "CredentialUnavailableError: no managed identity endpoint (api-key: sk-abcdef0123456789abcdef)",
      );
    });
    const error = await entra.generate(hi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ retryable: false, provider: "azure-openai" });
    expect((error as Error).message).toContain(
      "azureADTokenProvider failed: CredentialUnavailableError",
    );
    expect((error as Error).message).not.toContain("sk-abcdef0123456789abcdef");
    expect(mock.requests).toHaveLength(0);
  });

  it("surfaces a provider failure from the stream iterator too", async () => {
    const entra = client(() => Promise.reject("offline"));
    await expect(collectStream(entra.stream(hi))).rejects.toBeInstanceOf(AuthenticationError);
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ["an empty string", ""],
    ["a non-string", 42 as unknown as string],
    ["a token with a line break", "abc\r\nx-injected: 1"],
    ["a token over the size bound", "a".repeat(MAX_AZURE_AD_TOKEN_BYTES + 1)],
  ])("refuses %s without sending or echoing it", async (_what, token) => {
    const error = await client(async () => token)
      .generate(hi)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    if (token.length > 3) expect((error as Error).message).not.toContain(token);
    expect(mock.requests).toHaveLength(0);
  });

  it("never puts the token in the error of a rejected request", async () => {
    const rejecting = await startMockProvider({ provider: "azure-openai", apiKey: "other" });
    try {
      const entra = createAzureOpenAI({
        baseURL: rejecting.baseURL,
        azureADTokenProvider: async () => TOKEN,
        model: "gpt-4o",
        env: {},
      });
      const error = await entra.generate(hi).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "AuthenticationError", status: 401 });
      expect(JSON.stringify(error)).not.toContain(TOKEN);
      expect((error as Error).message).not.toContain(TOKEN);
    } finally {
      await rejecting.close();
    }
  });

  it("gives up waiting for a token when the call is aborted, and sends nothing", async () => {
    const controller = new AbortController();
    let release: (token: string) => void = () => undefined;
    const entra = client(
      () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
    );
    const call = entra.generate(hi, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await call).toBeInstanceOf(AbortError);
    release(TOKEN);
    expect(mock.requests).toHaveLength(0);
  });

  it("sends nothing and asks for no token when the signal is already aborted", async () => {
    let calls = 0;
    const entra = client(async () => {
      calls++;
      return TOKEN;
    });
    const error = await entra
      .generate(hi, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(calls).toBe(0);
  });
});

describe("azureADTokenProvider throwing odd values (found by tests/reliability fuzzing)", () => {
  const badMessage = Object.assign(new Error("x"), { message: 42 as unknown as string });
  const throwingMessage = new Error("x");
  Object.defineProperty(throwingMessage, "message", {
    get() {
      throw new TypeError("message getter");
    },
  });
  it.each([
    ["an object without a prototype", Object.create(null), "a thrown object"],
    ["an Error whose message is a number", badMessage, "an Error without a message"],
    ["an Error whose message getter throws", throwingMessage, "an unreadable error"],
    ["a string", "no credential", "no credential"],
    ["null", null, "a thrown null"],
  ])("%s is an AuthenticationError, not a raw TypeError", async (_name, value, reason) => {
    const entra = client(async () => {
      throw value;
    });
    const error = await entra.generate(hi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain(reason);
    expect(mock.requests).toHaveLength(0);
  });
});
