import {
  AuthenticationError,
  LLMError,
  NetworkError,
  ParseError,
  ProviderError,
  RateLimitError,
} from "@llm/core";
import { describe, expect, it } from "vitest";
import { type ConformanceContext, drain, hello, LONG_TEXT, rejectionOf } from "../context.js";

/** HTTP errors → the typed family with retry hints; broken bodies → typed errors, never a crash. */
export function failuresSection(ctx: ConformanceContext): void {
  describe("error mapping", () => {
    it("maps a 401 to a non-retryable AuthenticationError that never carries the key", async () => {
      ctx.mock().enqueue({ status: 401 });
      const error = await rejectionOf(ctx.client().generate(hello));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ retryable: false, status: 401 });
      expect(String((error as Error).message)).not.toContain(ctx.adapter.apiKey);
      expect(JSON.stringify(error)).not.toContain(ctx.adapter.apiKey);
    });

    it("maps a 429 with retry-after to a retryable RateLimitError with the hint in ms", async () => {
      ctx
        .mock()
        .enqueue({ status: 429, retryAfterSeconds: 2 }, { status: 429, retryAfterSeconds: 2 });
      const hint = { retryable: true, retryAfterMs: 2_000, status: 429 };
      const generated = await rejectionOf(ctx.client().generate(hello));
      expect(generated).toBeInstanceOf(RateLimitError);
      expect(generated).toMatchObject(hint);
      const streamed = await rejectionOf(drain(ctx.client().stream(hello)));
      expect(streamed).toBeInstanceOf(RateLimitError);
      expect(streamed).toMatchObject(hint);
    });

    it.each([500, 503])(
      "maps a %i to a retryable ProviderError with its status",
      async (status) => {
        ctx.mock().enqueue({ status });
        const error = await rejectionOf(ctx.client().generate(hello));
        expect(error).toBeInstanceOf(ProviderError);
        expect(error).toMatchObject({ retryable: true, status });
      },
    );

    it("turns an error in the middle of a stream into a typed error, after the deltas before it", async () => {
      ctx.mock().enqueue({ fault: "error-mid-stream", afterChunks: 2 });
      const seen: string[] = [];
      const error = await rejectionOf(
        (async () => {
          for await (const event of ctx
            .client()
            .stream({ messages: [{ role: "user", content: LONG_TEXT }] }))
            seen.push(event.type);
        })(),
      );
      expect(error).toBeInstanceOf(LLMError);
      expect(seen[0]).toBe("start");
    });
  });

  describe("broken bodies", () => {
    it("turns a connection reset mid-body into a retryable NetworkError, generate and stream", async () => {
      ctx.mock().enqueue({ fault: "reset", afterChunks: 2 }, { fault: "reset" });
      const seen: string[] = [];
      const streamed = await rejectionOf(
        (async () => {
          for await (const event of ctx
            .client()
            .stream({ messages: [{ role: "user", content: LONG_TEXT }] }))
            seen.push(event.type);
        })(),
      );
      expect(streamed).toBeInstanceOf(NetworkError);
      expect(streamed).toMatchObject({ retryable: true });
      expect(seen[0]).toBe("start");
      const generated = await rejectionOf(ctx.client().generate(hello));
      expect(generated).toBeInstanceOf(NetworkError);
      expect(generated).toMatchObject({ retryable: true });
    });

    it("turns malformed JSON into a ParseError, generate and stream", async () => {
      ctx.mock().enqueue({ fault: "malformed-json" }, { fault: "malformed-json", afterChunks: 1 });
      expect(await rejectionOf(ctx.client().generate(hello))).toBeInstanceOf(ParseError);
      expect(await rejectionOf(drain(ctx.client().stream(hello)))).toBeInstanceOf(ParseError);
    });
  });
}
