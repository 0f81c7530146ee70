import { AuthenticationError, createFetchTransport } from "@llm/core";
import { createAzureOpenAI } from "@llm/provider-azure-openai";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuzzParams } from "./support/fuzz.js";
import { expectTypedFailure } from "./support/typed-failure.js";
import { failOnUnhandled } from "./support/unhandled.js";

const RUNS = 300;

const ANSWER = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/** What a thrown value can be: Errors with odd messages, and things that are no Error at all. */
const thrown: fc.Arbitrary<() => unknown> = fc.oneof(
  fc.anything().map((v) => () => v),
  fc.anything().map((message) => () => Object.assign(new Error("x"), { message })),
  fc.constant(() => Object.create(null)),
  fc.constant(() => {
    const error = new Error("x");
    Object.defineProperty(error, "message", {
      get() {
        throw new TypeError("message getter");
      },
    });
    return error;
  }),
  fc.constant(() => ({
    toString() {
      throw new Error("toString");
    },
  })),
);

/** What an `azureADTokenProvider` might do: answer anything, or throw / reject with anything. */
const tokenProvider: fc.Arbitrary<() => Promise<string>> = fc.oneof(
  fc
    .oneof(
      fc.anything(),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        "eyJ0eXAiOiJKV1QifQ.e30.sig",
        " tok\r\nx-evil: 1",
        "",
        "   ",
        "a".repeat(20_000),
      ),
    )
    .map((value) => async () => value as string),
  thrown.map((make) => async () => {
    throw make();
  }),
  thrown.map(
    (make) =>
      (() => {
        throw make();
      }) as () => Promise<string>,
  ),
);

describe("Azure AD token answers of every shape", () => {
  failOnUnhandled();

  it("a call sends a clean bearer token or fails with an AuthenticationError, never a raw error", async () => {
    let sent: string | undefined;
    const transport = createFetchTransport({
      fetch: async (_input, init) => {
        sent = new Headers(init?.headers).get("authorization") ?? undefined;
        return new Response(ANSWER, {
          status: 200,
          headers: { "content-type": "application/json" },
        });
      },
    });
    const seen = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(tokenProvider, async (azureADTokenProvider) => {
        sent = undefined;
        const client = createAzureOpenAI({
          baseURL: "http://fuzz.invalid/openai",
          deployment: "gpt-4o-mini",
          azureADTokenProvider,
          transport,
          env: {},
        });
        try {
          await client.generate({ messages: [{ role: "user", content: "hi" }] });
          expect(sent).toMatch(/^Bearer [\x21-\x7e]+$/);
          seen.ok++;
        } catch (error) {
          expect(error).toBeInstanceOf(AuthenticationError);
          expectTypedFailure(error);
          expect(sent, "a refused token was sent").toBeUndefined();
          seen.refused++;
        }
      }),
      fuzzParams(RUNS),
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
