import type { ChatRequest } from "@llm/core";
import { describe, expect, it } from "vitest";
import { requestDefaultsMiddleware } from "./request-defaults.js";

const request: ChatRequest = { messages: [{ role: "user", content: "hi" }] };

describe("requestDefaultsMiddleware", () => {
  it("is absent when there is nothing to default", () => {
    expect(requestDefaultsMiddleware("openai", undefined)).toBeUndefined();
    expect(requestDefaultsMiddleware("openai", { temperature: undefined })).toBeUndefined();
  });

  it("fills what the request leaves out and keeps what it sets", async () => {
    const mw = requestDefaultsMiddleware("openai", { temperature: 0, maxTokens: 100 })!;
    expect(await mw.transformRequest!({ ...request, maxTokens: 5, topP: undefined }, {})).toEqual({
      ...request,
      temperature: 0,
      maxTokens: 5,
    });
  });

  it("fills a member the request set to undefined, without touching the caller's request", async () => {
    const mw = requestDefaultsMiddleware("openai", { temperature: 0, maxTokens: 100 })!;
    const own: ChatRequest = { ...request, temperature: undefined };
    const out = await mw.transformRequest!(own, {});
    expect(out.temperature).toBe(0);
    expect(out.maxTokens).toBe(100);
    expect(out.messages).toBe(request.messages);
    expect(own).toEqual({ ...request, temperature: undefined });
    expect("maxTokens" in own).toBe(false);
  });

  it("sends unknown params as provider options, under the request's own", async () => {
    const mw = requestDefaultsMiddleware("openai", {
      temperature: 0,
      logprobs: true,
      user: "x",
    } as never)!;
    const out = await mw.transformRequest!(
      { ...request, providerOptions: { openai: { user: "mine" } } },
      {},
    );
    expect(out.providerOptions).toEqual({ openai: { logprobs: true, user: "mine" } });
    expect(out.temperature).toBe(0);
  });
});
