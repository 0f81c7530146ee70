import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import {
  isSecret,
  isSecretURL,
  type LLMError,
  ProviderRegistry,
  Secret,
  SecretURL,
} from "@llm/core";
import { Hooks } from "@llm/hooks";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { definePlugin } from "./define-plugin.js";
import { PluginLoadError } from "./plugin-errors.js";
import { PluginManager } from "./plugin-manager.js";
import type { PluginLogger } from "./plugin-types.js";

const dir = mkdtempSync(join(tmpdir(), "llm-plugin-secrets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines: string[] = [];
const recording: PluginLogger = {
  debug: (m) => void lines.push(m),
  info: (m) => void lines.push(m),
  warn: (m) => void lines.push(m),
  error: (m) => void lines.push(m),
};

function manager() {
  const errors: LLMError[] = [];
  const m = new PluginManager({
    hooks: new Hooks(),
    registry: new ProviderRegistry(),
    baseDir: dir,
    logger: () => recording,
    onError: (e) => errors.push(e),
  });
  return { m, errors };
}

/** Everything an error can show: message, String(), stack, inspect (causes included). */
function everything(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 6; depth++) {
    parts.push(inspect(current, { depth: 6 }), String(current));
    if (current instanceof Error) parts.push(current.message, current.stack ?? "");
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}

describe("a file that is not JavaScript named as a plugin", () => {
  const planted = "PLANTEDident4242";
  const cases = {
    "yaml-in-a-js-file.mjs": `clients:\n  main:\n    apiKey: ${planted} and words\n`,
    "config-in-a-cjs-file.cjs": `password ${planted} = 1\n`,
    "settings.js": `export const x = 1;\ntoken: ${planted} ${planted}\n`,
  };

  for (const [file, text] of Object.entries(cases)) {
    it(`fails to load ${file} without quoting its text`, async () => {
      writeFileSync(join(dir, file), text);
      const { m } = manager();
      const error = await m.load([{ module: `./${file}` }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginLoadError);
      expect((error as PluginLoadError).kind).toBe("invalid-module");
      expect((error as Error).message).toContain(file);
      expect((error as Error).message).toMatch(/not valid JavaScript/);
      expect(everything(error)).not.toContain(planted);
    });
  }
});

describe("a plugin module that throws while it loads", () => {
  it("hides an error message that repeats a line of the file", async () => {
    writeFileSync(
      join(dir, "echoes-itself.mjs"),
      "const text = `\nPLANTED-runtime-line-0009\n`;\nthrow new Error(text);\n",
    );
    const { m } = manager();
    const error = await m.load([{ module: "./echoes-itself.mjs" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toMatch(/its message quotes the file and is not shown/);
    expect(everything(error)).not.toContain("PLANTED");
  });

  it("shows any other error, redacted, and keeps it as the cause", async () => {
    writeFileSync(join(dir, "throws.mjs"), 'throw new Error("database unreachable");\n');
    const { m } = manager();
    const error = await m.load([{ module: "./throws.mjs" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect((error as Error).message).toMatch(/failed to import: Error: database unreachable\n/);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe("secret fields declared by a plugin's schema", () => {
  const webhook = "https://hooks.slack.com/services/T01/B02/PLANTED-slack-0001";
  const token = "PLANTED-token-0002";
  const schema = z.object({
    // The plugin declares its secret fields: the host hands them over wrapped.
    webhook: z.string().transform((url) => new SecretURL(url)),
    token: z.string().transform((value) => new Secret(value)),
    channel: z.string(),
  });

  it("validates values the config already wrapped, and hands declared fields over wrapped", async () => {
    let seen: z.output<typeof schema> | undefined;
    const plugin = definePlugin({
      name: "notify",
      version: "1.0.0",
      apiVersion: 1,
      configSchema: schema,
      setup: (ctx) => {
        seen = ctx.config;
      },
    });
    const { m, errors } = manager();
    // As @llm/config delivers it: credential-looking values already wrapped.
    await m.load([
      {
        plugin,
        config: { webhook: new SecretURL(webhook), token: new Secret(token), channel: "#llm" },
      },
    ]);
    await m.start();
    expect(errors).toEqual([]);
    expect(isSecretURL(seen?.webhook)).toBe(true);
    expect(seen?.webhook.reveal()).toBe(webhook);
    expect(isSecret(seen?.token)).toBe(true);
    expect(seen?.token.reveal()).toBe(token);
    expect(seen?.channel).toBe("#llm");
    const shown = JSON.stringify(seen) + inspect(seen);
    expect(shown).not.toContain("PLANTED");
  });

  it("accepts a wrapped value where the plugin's schema asks for a plain string", async () => {
    let seen: unknown;
    const plugin = definePlugin({
      name: "plain",
      version: "1.0.0",
      apiVersion: 1,
      configSchema: z.object({ token: z.string() }),
      setup: (ctx) => {
        seen = ctx.config.token;
      },
    });
    const { m, errors } = manager();
    await m.load([{ plugin, config: { token: new Secret(token) } }]);
    await m.start();
    expect(errors).toEqual([]);
    expect(seen).toBe(token);
  });

  it("keeps a credential out of a validation issue that quotes the value", async () => {
    const plugin = definePlugin({
      name: "picky",
      version: "1.0.0",
      apiVersion: 1,
      configSchema: z.object({
        url: z.string().refine((u) => u.startsWith("https://ok.example"), {
          error: (issue) => `${String(issue.input)} is not an allowed endpoint`,
        }),
      }),
      setup: () => {},
    });
    const { m, errors } = manager();
    const url = "https://evil.example/hook?token=PLANTED-quoted-0003";
    await m.load([{ plugin, config: { url: new SecretURL(url) } }]);
    await m.start();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("is not an allowed endpoint");
    expect(everything(errors[0])).not.toContain("PLANTED");
    expect(lines.join("\n")).not.toContain("PLANTED");
  });

  it("keeps a credential out of the error of a plugin whose setup throws with it", async () => {
    new Secret("PLANTED-setup-0004");
    const plugin = definePlugin({
      name: "leaky",
      version: "1.0.0",
      apiVersion: 1,
      setup: () => {
        throw new Error("cannot connect with key PLANTED-setup-0004");
      },
    });
    const { m, errors } = manager();
    await m.load([plugin]);
    await m.start();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("cannot connect with key [REDACTED]");
    expect(m.status()[0]!.error).not.toContain("PLANTED");
  });
});
