import { ConfigError } from "@llm/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loadConfig, parseConfigText } from "./load-config.js";
import { defineConfigSection, extendSchema, readSection } from "./sections.js";
import { duration } from "./units.js";

const audit = defineConfigSection(
  "audit",
  z
    .strictObject({
      sink: z.enum(["stdout", "file"]).default("stdout"),
      flushMs: duration().default(1_000),
    })
    .prefault({}),
);

describe("contributed sections", () => {
  it("validates a section with the rest of the config and types it", () => {
    const config = parseConfigText("audit: { sink: file, flushMs: 2s }\n", { sections: [audit] });
    expect(config.audit).toEqual({ sink: "file", flushMs: 2_000 });
    expect(readSection(config, audit).sink).toBe("file");
  });

  it("applies the section's defaults when the key is absent", async () => {
    const config = await loadConfig({ env: {}, sections: [audit] });
    expect(config.audit).toEqual({ sink: "stdout", flushMs: 1_000 });
  });

  it("reports a section's problems with file positions like built-in keys", () => {
    expect(() =>
      parseConfigText("pool: {}\naudit:\n  sink: kafka\n", { file: "a.yaml", sections: [audit] }),
    ).toThrowError(/audit\.sink: Invalid option.*\(a\.yaml:3:9\)/);
  });

  it("accepts environment overrides for a section", async () => {
    const config = await loadConfig({ env: { LLM__AUDIT__FLUSH_MS: "5s" }, sections: [audit] });
    expect(config.audit.flushMs).toBe(5_000);
  });

  it("rejects an unknown top-level section", () => {
    expect(() => parseConfigText("audit: { sink: file }\n")).toThrowError(
      /audit: unknown key "audit"/,
    );
  });

  it("refuses to redefine a built-in section, to define one twice or to use a bad name", () => {
    expect(() => defineConfigSection("cache", z.object({}))).toThrowError(ConfigError);
    expect(() => defineConfigSection("9lives", z.object({}))).toThrowError(
      /Invalid config section name/,
    );
    expect(() => extendSchema(audit, audit)).toThrowError(/defined twice/);
  });

  it("still checks fallbacks in an extended schema", () => {
    const schema = extendSchema(audit);
    const result = schema.safeParse({
      clients: { a: { provider: "x", model: "m", fallbacks: ["b"] } },
    });
    expect(result.success).toBe(false);
  });
});
