import { writeFile } from "node:fs/promises";
import { ConfigManager, loadConfig, parseSourceDocument } from "@llm/config";
import { ConfigError } from "@llm/core";
import { createLLMContainer } from "@llm/di";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/temp-dir.js";

/**
 * Config input is bounded: a huge mapping is read in linear work, a file
 * over the size limit is refused before it is read whole, nesting and alias
 * expansion are capped — each failure a typed ConfigError, never a stall or
 * a crash, and a hot reload keeps the last good config.
 */

const tmp = tempDir("config-bounds");
afterAll(() => tmp.remove());

function wideConfig(keys: number): string {
  const lines = ["plugins:", "  - module: ./wide.js", "    config:"];
  for (let i = 0; i < keys; i++) lines.push(`      k${i}: ${i}`);
  return `${lines.join("\n")}\n`;
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const outcome = await promise.then(
    () => "resolved",
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ConfigError);
  return outcome as ConfigError;
}

describe("config input bounds", () => {
  it("loads a 40,000-key file whole, with work linear in the keys", async () => {
    const file = tmp.path("wide.yaml");
    await writeFile(file, wideConfig(40_000));
    const config = await loadConfig({ files: [file], env: {} });
    const settings = config.plugins[0]?.config as Record<string, number>;
    expect(Object.keys(settings)).toHaveLength(40_000);
    expect(settings.k39999).toBe(39_999);

    const lookups = (keys: number) => {
      const stats = { keyLookups: 0 };
      parseSourceDocument(wideConfig(keys), { stats });
      return stats.keyLookups;
    };
    expect(lookups(40_000) / lookups(10_000)).toBeLessThan(4.1);
  });

  it("still finds a duplicate among 40,000 keys, with its position", async () => {
    const file = tmp.path("dup.yaml");
    await writeFile(file, `${wideConfig(40_000)}      k17: again\n`);
    const error = await configError(loadConfig({ files: [file], env: {} }));
    expect(error.issues).toEqual([
      {
        path: "",
        file,
        line: 40_004,
        column: 7,
        message: 'duplicate key "k17" (first at line 21)',
      },
    ]);
  });

  it("refuses a file over the size limit at startup with a typed error naming file, size and limit", async () => {
    const file = tmp.path("huge.yaml");
    await writeFile(file, wideConfig(80_000)); // about 1.7 MiB
    const error = await configError(createLLMContainer({ config: { files: [file], env: {} } }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.file).toBe(file);
    expect(error.issues[0]?.message).toMatch(
      /^file is \d+(?:\.\d+)?MiB \(\d+ bytes\), over the 1MiB \(1048576 bytes\) limit of a config file \(option maxFileBytes\)$/,
    );
  });

  it("keeps the last good config when a watched file grows past the limit, nests too deep or expands aliases", async () => {
    const file = tmp.path("watched.yaml");
    await writeFile(file, "pool: { connections: 4 }\n");
    const manager = await ConfigManager.load({
      files: [file],
      env: {},
      maxFileBytes: 64 * 1024,
      settleMs: 20,
    });
    const errors: ConfigError[] = [];
    manager.onError((error) => errors.push(error));
    const bombs = [
      wideConfig(5_000),
      `pool: { connections: 5 }\nplugins: [{ module: x, config: ${"[".repeat(500)}${"]".repeat(500)} }]\n`,
      [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        ...Array.from({ length: 8 }, (_, i) => {
          const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
          return `${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
        }),
      ].join("\n"),
    ];
    for (const text of bombs) {
      await writeFile(file, text);
      await expect(manager.reload()).resolves.toBe(false);
      expect(manager.get().pool.connections).toBe(4);
    }
    await manager.close();
    expect(errors.map((e) => e.issues[0]?.message)).toEqual([
      expect.stringMatching(/over the 64KiB \(65536 bytes\) limit/),
      "nesting is deeper than 64 levels",
      expect.stringMatching(/alias/i),
    ]);
  });
});
