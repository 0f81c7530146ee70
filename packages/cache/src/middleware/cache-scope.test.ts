import {
  type CacheScope,
  type ChatRequest,
  ConfigError,
  compose,
  providerCacheScope,
} from "@llm/core";
import { beforeEach, describe, expect, it } from "vitest";
import { FakeClient } from "../../test/fake-client.js";
import { SmartCache } from "../smart-cache/smart-cache.js";
import { TieredCache } from "../tiered/tiered-cache.js";
import { cacheMiddleware } from "./cache-middleware.js";
import type { CachedAnswer } from "./cached-answer.js";

/** A fake provider instance: one server, one key. */
class ScopedFake extends FakeClient {
  readonly cacheScope: CacheScope;
  constructor(baseURL: string, apiKey: string, headers: Record<string, string> = {}) {
    super();
    this.cacheScope = providerCacheScope({
      provider: "fake",
      baseURL,
      headers: { authorization: `Bearer ${apiKey}`, ...headers },
    });
  }
}

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: [{ role: "user", content: text }],
  ...extra,
});

const SECRET = "scope-secret-0123456789abcdef";
let tiered: TieredCache<CachedAnswer>;
beforeEach(() => {
  tiered = new TieredCache({ l1: new SmartCache<CachedAnswer>({ maxEntries: 1_000 }) });
});

describe("cache keys scoped to the provider instance", () => {
  it("never answers one server's request with another server's answer", async () => {
    const mw = cacheMiddleware({ cache: tiered });
    const a = new ScopedFake("https://a.test/v1", "sk-a");
    const b = new ScopedFake("https://b.test/v1", "sk-b");
    await compose(a, mw).generate(ask("hi"));
    const fromB = await compose(b, mw).generate(ask("hi"));
    expect(fromB.origin).toEqual({ type: "upstream" });
    expect(b.calls).toBe(1);
  });

  it("separates two organisations on one server", async () => {
    const mw = cacheMiddleware({ cache: tiered });
    const a = new ScopedFake("https://a.test/v1", "sk", { "openai-organization": "org-1" });
    const b = new ScopedFake("https://a.test/v1", "sk", { "openai-organization": "org-2" });
    await compose(a, mw).generate(ask("hi"));
    await compose(b, mw).generate(ask("hi"));
    expect(b.calls).toBe(1);
  });

  it("shares answers between two clients of one instance whatever their keys", async () => {
    const mw = cacheMiddleware({ cache: tiered });
    const a = new ScopedFake("https://a.test/v1/", "sk-a");
    const b = new ScopedFake("HTTPS://A.TEST:443/v1", "sk-b");
    await compose(a, mw).generate(ask("hi"));
    const fromB = await compose(b, mw).generate(ask("hi"));
    expect(fromB.origin).toMatchObject({ type: "cache" });
    expect(b.calls).toBe(0);
  });

  it("lets two URLs named as one instance share answers, and only them", async () => {
    const mw = cacheMiddleware({ cache: tiered });
    const named = mw.withOptions({ instance: "acme-openai" });
    const a = new ScopedFake("https://eu.acme.test/v1", "sk");
    const b = new ScopedFake("https://us.acme.test/v1", "sk");
    await compose(a, named).generate(ask("hi"));
    const fromB = await compose(b, named).generate(ask("hi"));
    expect(fromB.origin).toMatchObject({ type: "cache" });
    expect(mw.keyOf(ask("hi"), b)).not.toBe(named.keyOf(ask("hi"), b));
  });

  it("keys a client without a scope on provider and model, as before", async () => {
    const mw = cacheMiddleware({ cache: tiered });
    const plain = new FakeClient();
    await compose(plain, mw).generate(ask("hi"));
    await compose(plain, mw).generate(ask("hi"));
    expect(plain.calls).toBe(1);
  });
});

describe("credential scope", () => {
  it("gives a client with another key no cached answer", async () => {
    const mw = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    const right = new ScopedFake("https://a.test/v1", "sk-right");
    const wrong = new ScopedFake("https://a.test/v1", "sk-wrong");
    await compose(right, mw).generate(ask("hi"));
    const fromWrong = await compose(wrong, mw).generate(ask("hi"));
    expect(fromWrong.origin).toEqual({ type: "upstream" });
    expect(wrong.calls).toBe(1);
  });

  it("answers the same key from the cache, also in another middleware with the same secret", async () => {
    const first = new ScopedFake("https://a.test/v1", "sk-1");
    const again = new ScopedFake("https://a.test/v1", "sk-1");
    const mwA = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    const mwB = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    await compose(first, mwA).generate(ask("hi"));
    const hit = await compose(again, mwB).generate(ask("hi"));
    expect(hit.origin).toMatchObject({ type: "cache" });
    expect(mwA.keyOf(ask("hi"), first)).toBe(mwB.keyOf(ask("hi"), again));
  });

  it("keys differ under different scope secrets, so the secret decides who shares", () => {
    const client = new ScopedFake("https://a.test/v1", "sk-1");
    const a = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    const b = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: `${SECRET}x` });
    expect(a.keyOf(ask("hi"), client)).not.toBe(b.keyOf(ask("hi"), client));
  });

  it("without a scope secret, uses one random key per process: shared in-process, unlike any configured one", () => {
    const client = new ScopedFake("https://a.test/v1", "sk-1");
    const a = cacheMiddleware({ cache: tiered, scope: "credential" });
    const b = cacheMiddleware({ cache: tiered, scope: "credential" });
    const configured = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    expect(a.keyOf(ask("hi"), client)).toBe(b.keyOf(ask("hi"), client));
    expect(a.keyOf(ask("hi"), client)).not.toBe(configured.keyOf(ask("hi"), client));
  });

  it("does not cache a client that cannot say who it is", async () => {
    const mw = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    const plain = new FakeClient();
    await compose(plain, mw).generate(ask("hi"));
    await compose(plain, mw).generate(ask("hi"));
    expect(plain.calls).toBe(2);
    expect(mw.stats().bypassed).toBe(2);
  });

  it("rejects a scope secret too short to key an HMAC, with a typed error naming it", () => {
    let error: unknown;
    try {
      cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: "tiny-x" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]?.path).toBe("scopeSecret");
    expect((error as Error).message).not.toContain("tiny-x");
  });

  it("never puts the credential in a key", () => {
    const key = "sk-live-abcdefghijklmnopqrstuvwxyz";
    const client = new ScopedFake("https://a.test/v1", key);
    const mw = cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET });
    expect(mw.keyOf(ask("hi"), client)).not.toContain(key);
    expect(client.cacheScope.instance).not.toContain(key);
  });
});

describe("per-call headers", () => {
  it("skips the cache for a call whose headers select another organisation", async () => {
    const mw = cacheMiddleware({ cache: tiered });
    const a = new ScopedFake("https://a.test/v1", "sk", { "openai-organization": "org-1" });
    const client = compose(a, mw);
    await client.generate(ask("hi"));
    const other = await client.generate(ask("hi"), { headers: { "OpenAI-Organization": "org-2" } });
    expect(other.origin).toEqual({ type: "upstream" });
    expect(mw.stats().bypassed).toBe(1);
  });

  it("skips the cache for a call with its own key under credential scope only", async () => {
    const a = new ScopedFake("https://a.test/v1", "sk");
    const headers = { authorization: "Bearer sk-other" };
    const credential = compose(
      a,
      cacheMiddleware({ cache: tiered, scope: "credential", scopeSecret: SECRET }),
    );
    await credential.generate(ask("hi"));
    expect((await credential.generate(ask("hi"), { headers })).origin).toEqual({
      type: "upstream",
    });
    const instance = compose(a, cacheMiddleware({ cache: tiered }));
    await instance.generate(ask("hi"));
    expect((await instance.generate(ask("hi"), { headers })).origin).toMatchObject({
      type: "cache",
    });
  });

  it("keeps caching calls whose headers only trace", async () => {
    const a = new ScopedFake("https://a.test/v1", "sk");
    const client = compose(a, cacheMiddleware({ cache: tiered }));
    await client.generate(ask("hi"));
    const traced = await client.generate(ask("hi"), { headers: { "x-request-id": "r1" } });
    expect(traced.origin).toMatchObject({ type: "cache" });
  });
});

describe("withOptions", () => {
  it("shares statistics and single-flight across the clients of one cache", async () => {
    const shared = cacheMiddleware({ cache: tiered });
    const a = new ScopedFake("https://a.test/v1", "sk");
    a.behaviour = { delayMs: 20 };
    const viewA = shared.withOptions({ ttlMs: 60_000 });
    const viewB = shared.withOptions({ ttlMs: 120_000 });
    await Promise.all([
      compose(a, viewA).generate(ask("hi")),
      compose(a, viewB).generate(ask("hi")),
    ]);
    expect(a.calls).toBe(1);
    expect(shared.stats().upstreamCalls).toBe(1);
    expect(viewA.stats().lookups).toBe(2);
  });

  it("keeps each client's namespace apart on one shared cache", async () => {
    const shared = cacheMiddleware({ cache: tiered });
    const a = new ScopedFake("https://a.test/v1", "sk");
    await compose(a, shared.withOptions({ namespace: "t1" })).generate(ask("hi"));
    const other = await compose(a, shared.withOptions({ namespace: "t2" })).generate(ask("hi"));
    expect(other.origin).toEqual({ type: "upstream" });
    expect(shared.withOptions({ namespace: "t1" }).keyOf(ask("hi"), a).startsWith("t1:")).toBe(
      true,
    );
  });

  it("inherits settings not given, and an undefined one too", () => {
    const shared = cacheMiddleware({ cache: tiered, namespace: "root" });
    const a = new ScopedFake("https://a.test/v1", "sk");
    const view = shared.withOptions({ namespace: undefined, ttlMs: 5 });
    expect(view.keyOf(ask("hi"), a)).toBe(shared.keyOf(ask("hi"), a));
  });
});

describe("the sampling rule in the default policy", () => {
  it("caches an unset temperature by default and not when told so", async () => {
    const fake = new FakeClient();
    const on = compose(fake, cacheMiddleware({ cache: tiered }));
    await on.generate(ask("hi"));
    await on.generate(ask("hi"));
    expect(fake.calls).toBe(1);
    const off = compose(fake, cacheMiddleware({ cache: tiered, cacheUnsetTemperature: false }));
    await off.generate(ask("hi"));
    expect(fake.calls).toBe(2);
    await off.generate(ask("hi", { temperature: 0 }));
    await off.generate(ask("hi", { temperature: 0 }));
    expect(fake.calls).toBe(3);
  });

  it("does not cache a request for several candidates", async () => {
    const fake = new FakeClient();
    const client = compose(fake, cacheMiddleware({ cache: tiered }));
    const many = ask("hi", { providerOptions: { openai: { n: 2 } } });
    await client.generate(many);
    await client.generate(many);
    expect(fake.calls).toBe(2);
  });
});
