import { APICallError } from "@ai-sdk/provider";
import { AbortError, AuthenticationError, LLMError, NetworkError, ProviderError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { toAiSdkError, toLlmKitError } from "./ai-sdk-error.js";

const apiError = (fields: Partial<ConstructorParameters<typeof APICallError>[0]>) =>
  new APICallError({ message: "failed", url: "https://x.test", requestBodyValues: {}, ...fields });

describe("toLlmKitError", () => {
  it("maps statuses through the same table as llm-kit's providers, and back to the original", () => {
    const unauthorized = apiError({
      statusCode: 401,
      responseBody: '{"error":{"message":"bad key"}}',
    });
    const mapped = toLlmKitError(unauthorized, "openai.chat");
    expect(mapped).toBeInstanceOf(AuthenticationError);
    expect(mapped.message).toContain("bad key");
    expect(toAiSdkError(mapped)).toBe(unauthorized);
    const overloaded = toLlmKitError(apiError({ statusCode: 503 }), "openai.chat");
    expect(overloaded).toBeInstanceOf(ProviderError);
    expect(overloaded.retryable).toBe(true);
  });

  it("calls a retryable failure without a status a network error, and a non-retryable one a plain LLMError", () => {
    expect(toLlmKitError(apiError({ isRetryable: true }), "p")).toBeInstanceOf(NetworkError);
    const plain = toLlmKitError(apiError({ isRetryable: false }), "p");
    expect(plain.constructor).toBe(LLMError);
    expect(plain.retryable).toBe(false);
  });

  it("keeps LLMErrors as they are, and maps aborts and anything else", () => {
    const own = new NetworkError("reset");
    expect(toLlmKitError(own, "p")).toBe(own);
    expect(toAiSdkError(own)).toBe(own);
    const abort = new DOMException("stop", "AbortError");
    expect(toLlmKitError(abort, "p")).toBeInstanceOf(AbortError);
    expect(toLlmKitError("weird", "p").message).toBe("weird");
  });
});
