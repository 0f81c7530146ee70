import { describe, expect, it } from "vitest";
import type { ConformanceContext } from "../context.js";

/** `cacheScope` says who answers, so two servers or accounts never share a cached answer. */
export function cacheScopeSection(ctx: ConformanceContext): void {
  describe("cache scope", () => {
    it("names the provider and the server, and never the key", () => {
      const scope = ctx.client().cacheScope;
      expect(scope).toBeDefined();
      const instance = scope?.instance ?? "";
      expect(instance).toContain(ctx.adapter.provider);
      expect(instance).toContain(new URL(ctx.mock().baseURL).host);
      expect(instance).not.toContain(ctx.adapter.apiKey);
    });

    it("differs between two servers, and tags two keys differently", async () => {
      const other = await ctx.ownServer();
      const here = ctx.client().cacheScope;
      const there = ctx.client({ baseURL: other.baseURL }).cacheScope;
      expect(there?.instance).not.toBe(here?.instance);
      const tag = here?.credentialTag(ctx.adapter.apiKey);
      expect(tag).toBe(here?.credentialTag(ctx.adapter.apiKey));
      expect(tag).not.toBe(here?.credentialTag(`${ctx.adapter.apiKey}-other`));
      expect(tag).not.toContain(ctx.adapter.apiKey);
    });
  });
}
