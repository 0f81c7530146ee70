import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfigText } from "@llm/config";
import { ConfigError, ProviderRegistry } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installProviders } from "../src/index.js";

/**
 * `installProviders` at the start of a container, against small real
 * provider packages on disk: one that imports, one that throws at import,
 * and a type whose package is not installed at all.
 */

const FIXTURE_PACKAGES: Record<string, string> = {
  fine: `const unused = () => { throw new Error("the fine provider is never called"); };
export const provider = {
  type: "fine",
  create: (settings) => ({ provider: "fine", model: settings.model, generate: unused, stream: unused }),
};
`,
  broken: 'throw new Error("broken on purpose");\n',
};

/** A folder whose node_modules holds the fixture packages. */
let baseDir: string;

beforeAll(() => {
  baseDir = mkdtempSync(join(tmpdir(), "llm-di-install-"));
  const scope = join(baseDir, "node_modules", "@llm");
  for (const [type, source] of Object.entries(FIXTURE_PACKAGES)) {
    const dir = join(scope, `provider-${type}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: `@llm/provider-${type}`, type: "module", exports: "./index.js" }),
    );
    writeFileSync(join(dir, "index.js"), source);
  }
});
afterAll(() => {
  rmSync(baseDir, { recursive: true, force: true });
});

const configOf = (clients: Record<string, string>) =>
  parseConfigText(
    `clients:\n${Object.entries(clients)
      .map(([name, provider]) => `  ${name}: { provider: ${provider}, model: m }\n`)
      .join("")}`,
  );

describe("installProviders", () => {
  it("registers the provider of an installed package", async () => {
    const registry = new ProviderRegistry();
    await installProviders(registry, configOf({ a: "fine" }), baseDir);
    expect(registry.has("fine")).toBe(true);
  });

  it("leaves out a provider whose package is not installed, without throwing", async () => {
    const registry = new ProviderRegistry();
    await expect(
      installProviders(registry, configOf({ a: "fine", b: "absent" }), baseDir),
    ).resolves.toBeUndefined();
    expect(registry.has("fine")).toBe(true);
    expect(registry.has("absent")).toBe(false);
  });

  it("throws a ConfigError naming clients.<name>.provider for a package that fails to import", async () => {
    const registry = new ProviderRegistry();
    const error = await installProviders(
      registry,
      configOf({ a: "fine", b: "broken", c: "absent" }),
      baseDir,
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues).toEqual([
      {
        path: "clients.b.provider",
        // The import's own message, without the issue list of the PluginLoadError behind it.
        message: expect.stringMatching(
          /^Module "@llm\/provider-broken" \(.+\) failed to import: Error: broken on purpose$/,
        ),
      },
    ]);
    expect(message.split("\n")[0]).toBe("Provider packages failed to load: 1");
  });
});
