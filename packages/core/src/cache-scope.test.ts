import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cacheHeaderRole, combineCacheScopes, providerCacheScope } from "./cache-scope.js";
import type { LLMClient } from "./client.js";
import { compose } from "./compose.js";
import { fallbackClient, fallbackMiddleware } from "./resilience/fallback.js";

const scope = (baseURL: string, headers?: Record<string, string>) =>
  providerCacheScope({ provider: "openai", baseURL, ...(headers ? { headers } : {}) });

const client = (baseURL: string, headers?: Record<string, string>): LLMClient => ({
  provider: "openai",
  cacheScope: scope(baseURL, headers),
  generate: () => Promise.reject(new Error("not called")),
  stream: () => ({
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error("not called")) }),
  }),
});

describe("providerCacheScope", () => {
  it("normalises host case, default ports and trailing slashes to one instance", () => {
    const expected = "openai https://api.openai.com/v1";
    expect(scope("https://api.openai.com/v1").instance).toBe(expected);
    expect(scope("HTTPS://API.OpenAI.com:443/v1/").instance).toBe(expected);
    expect(scope("https://api.openai.com/v1//").instance).toBe(expected);
    expect(scope("http://example.test:80/").instance).toBe("openai http://example.test");
  });

  it("keeps the port, path and query that select another server or deployment", () => {
    const instances = new Set([
      scope("https://api.openai.com/v1").instance,
      scope("https://api.openai.com:8443/v1").instance,
      scope("https://proxy.test/openai/deployments/a").instance,
      scope("https://proxy.test/openai/deployments/b").instance,
      scope("https://proxy.test/openai?api-version=2024-06-01").instance,
    ]);
    expect(instances.size).toBe(5);
  });

  it("includes the headers that select an account or project, sorted by name", () => {
    const s = scope("https://api.openai.com/v1", {
      "OpenAI-Project": "proj_1",
      "openai-organization": "org-1",
      "content-type": "application/json",
    });
    expect(s.instance).toBe(
      "openai https://api.openai.com/v1 openai-organization=org-1 openai-project=proj_1",
    );
  });

  it("never puts a credential in the instance, from headers, userinfo or the query", () => {
    const secret = "sk-live-abcdefghijklmnopqrstuvwxyz";
    const s = providerCacheScope({
      provider: "gemini",
      baseURL: `https://user:${secret}@gen.test/v1beta?key=${secret}&alt=sse`,
      headers: {
        authorization: `Bearer ${secret}`,
        "x-goog-api-key": secret,
        "x-portkey-virtual-key": secret,
        "x-goog-user-project": "billing-1",
      },
    });
    expect(s.instance).not.toContain(secret);
    expect(s.instance).toBe("gemini https://gen.test/v1beta?alt=sse x-goog-user-project=billing-1");
  });

  it("tags the credential with an HMAC under the given key, never the credential itself", () => {
    const secret = "sk-live-abcdefghijklmnopqrstuvwxyz";
    const s = scope("https://api.openai.com/v1", { authorization: `Bearer ${secret}` });
    const tag = s.credentialTag("scope-key-1");
    expect(tag).toBe(
      createHmac("sha256", "scope-key-1")
        .update(`header:authorization=Bearer ${secret}`)
        .digest("hex"),
    );
    expect(tag).not.toContain(secret);
    expect(s.credentialTag("scope-key-2")).not.toBe(tag);
  });

  it("gives two keys on one instance different credential tags and one instance", () => {
    const a = scope("https://api.openai.com/v1", { authorization: "Bearer sk-a" });
    const b = scope("https://api.openai.com/v1", { authorization: "Bearer sk-b" });
    expect(a.instance).toBe(b.instance);
    expect(a.credentialTag("k")).not.toBe(b.credentialTag("k"));
  });
});

describe("cache scope through composition", () => {
  it("is carried unchanged by compose", () => {
    const inner = client("https://a.test/v1");
    const composed = compose(inner, { name: "noop", transformRequest: (r) => r });
    expect(composed.cacheScope).toBe(inner.cacheScope);
  });

  it("covers every member of a fallback chain", () => {
    const chain = fallbackClient([client("https://a.test/v1"), client("https://b.test/v1")]);
    expect(chain.cacheScope?.instance).toBe("openai https://a.test/v1 | openai https://b.test/v1");
  });

  it("covers the fallbacks of a fallback middleware", () => {
    const composed = compose(
      client("https://a.test/v1"),
      fallbackMiddleware(client("https://b.test/v1")),
    );
    expect(composed.cacheScope?.instance).toBe(
      "openai https://a.test/v1 | openai https://b.test/v1",
    );
  });

  it("is absent when a member of the chain has none", () => {
    const unknown: LLMClient = { ...client("https://b.test/v1"), cacheScope: undefined };
    expect(combineCacheScopes([client("https://a.test/v1").cacheScope, unknown.cacheScope])).toBe(
      undefined,
    );
  });
});

describe("cacheHeaderRole", () => {
  it("tells neutral, credential, account-selecting and other headers apart, in any case", () => {
    expect(cacheHeaderRole("Content-Type")).toBe("neutral");
    expect(cacheHeaderRole("Authorization")).toBe("credential");
    expect(cacheHeaderRole("x-portkey-virtual-key")).toBe("credential");
    expect(cacheHeaderRole("OpenAI-Project")).toBe("account");
    expect(cacheHeaderRole("anthropic-beta")).toBe("account");
    expect(cacheHeaderRole("x-request-id")).toBe("other");
  });
});
