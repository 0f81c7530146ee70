import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DocumentCheckStats } from "./check-document.js";
import { ConfigManager } from "./config-manager.js";
import { loadConfig, parseConfigText } from "./load-config.js";
import { readConfigFile } from "./read-config-file.js";
import { parseSourceDocument } from "./source-document.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-config-limits-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A plugin whose settings hold `keys` entries: `k0: 0`, `k1: 1`, … */
function manyKeys(keys: number): string {
  const lines = ["plugins:", "  - module: ./wide.js", "    config:"];
  for (let i = 0; i < keys; i++) lines.push(`      k${i}: ${i}`);
  return `${lines.join("\n")}\n`;
}

async function rejection(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("duplicate keys in linear time", () => {
  it("reads a mapping of 40,000 keys whole", () => {
    const config = parseConfigText(manyKeys(40_000), { env: {} });
    const settings = config.plugins[0]?.config as Record<string, number>;
    expect(Object.keys(settings)).toHaveLength(40_000);
    expect(settings.k0).toBe(0);
    expect(settings.k39999).toBe(39_999);
  }, 60_000);

  it("does work proportional to the number of keys", () => {
    const work = (keys: number) => {
      const stats: DocumentCheckStats = { keyLookups: 0 };
      const doc = parseSourceDocument(manyKeys(keys), { stats });
      expect(doc.syntaxProblems).toEqual([]);
      return stats.keyLookups;
    };
    const small = work(10_000);
    const large = work(40_000);
    // Quadratic pairwise comparison would do 16× the work for 4× the keys.
    expect(large / small).toBeLessThan(4.1);
    expect(large).toBeGreaterThanOrEqual(40_000);
  }, 60_000);

  it("reports every duplicate key with its file, line and column", () => {
    const text = [
      "clients:",
      "  main: { provider: openai, model: a }",
      "  other: { provider: openai, model: b }",
      "  main: { provider: openai, model: c, model: d }",
    ].join("\n");
    let error: unknown;
    try {
      parseConfigText(text, { file: "dup.yaml", env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: "",
        file: "dup.yaml",
        line: 4,
        column: 3,
        message: 'duplicate key "main" (first at line 2)',
      },
      {
        path: "",
        file: "dup.yaml",
        line: 4,
        column: 39,
        message: 'duplicate key "model" (first at line 4)',
      },
    ]);
  });

  it("counts 1 and '1' as the same key, as the loaded data would", () => {
    const doc = parseSourceDocument('a:\n  1: x\n  "1": y\n');
    expect(doc.syntaxProblems.map((p) => p.message)).toEqual([
      'duplicate key "1" (first at line 2)',
    ]);
  });

  it("still lets merge keys repeat", () => {
    const doc = parseSourceDocument(
      "base: &b { x: 1 }\nmore: &m { y: 2 }\nc:\n  <<: *b\n  <<: *m\n  z: 3\n",
    );
    expect(doc.syntaxProblems).toEqual([]);
    expect(doc.data).toMatchObject({ c: { x: 1, y: 2, z: 3 } });
  });
});

describe("config size limit", () => {
  it("rejects a file over the default 1 MiB limit with the file, its size and the limit", async () => {
    const file = join(dir, "huge.yaml");
    const content = `pool: {}\n# ${"x".repeat(1024 * 1024)}\n`;
    await writeFile(file, content);
    const size = Buffer.byteLength(content);
    const error = await rejection(loadConfig({ files: [file], env: {} }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.file).toBe(file);
    expect(error.issues[0]?.message).toBe(
      `file is 1MiB (${size} bytes), over the 1MiB (1048576 bytes) limit of a config file (option maxFileBytes)`,
    );
    expect(error.message).toContain(file);
  });

  it("takes the limit from maxFileBytes, in loadConfig and in ConfigManager", async () => {
    const file = join(dir, "small.yaml");
    await writeFile(file, manyKeys(100));
    const limit = { maxFileBytes: 512 };
    const fromLoad = await rejection(loadConfig({ files: [file], env: {}, ...limit }));
    expect(fromLoad.issues[0]?.message).toMatch(/over the 512B \(512 bytes\) limit/);
    const fromManager = await rejection(ConfigManager.load({ files: [file], env: {}, ...limit }));
    expect(fromManager.issues[0]?.message).toMatch(/over the 512B \(512 bytes\) limit/);
    await expect(loadConfig({ files: [file], env: {}, maxFileBytes: 1e6 })).resolves.toBeDefined();
  });

  it("applies the limit to in-memory sources and config text too", async () => {
    const text = manyKeys(100);
    const error = await rejection(
      loadConfig({ sources: [{ text, file: "inline.yaml" }], env: {}, maxFileBytes: 100 }),
    );
    expect(error.issues[0]).toMatchObject({ file: "inline.yaml" });
    expect(() => parseConfigText(text, { maxFileBytes: 100 })).toThrowError(/over the 100B/);
  });

  it("keeps the last good config when a reload finds the file grown past the limit", async () => {
    const file = join(dir, "grows.yaml");
    await writeFile(file, "pool: { connections: 2 }\n");
    const manager = await ConfigManager.load({
      files: [file],
      env: {},
      maxFileBytes: 1024,
      settleMs: 0,
    });
    const errors: ConfigError[] = [];
    manager.onError((e) => errors.push(e));
    await writeFile(file, `pool: { connections: 3 }\n# ${"x".repeat(2048)}\n`);
    await expect(manager.reload()).resolves.toBe(false);
    expect(manager.get().pool.connections).toBe(2);
    expect(errors[0]?.issues[0]?.message).toMatch(/over the 1KiB \(1024 bytes\) limit/);
    await manager.close();
  });
});

describe("a file whose content is not the size stat reported", () => {
  // /proc files report size 0 and have content: what a file that grew between stat and
  // read looks like. Bounded by the bytes read, the text is whole or refused, never cut.
  const grown = "/proc/self/status";

  it.runIf(process.platform === "linux")("reads it whole within the limit", async () => {
    const snapshot = await readConfigFile(grown, 1024 * 1024);
    expect(snapshot.issue).toBeUndefined();
    expect(snapshot.text).toMatch(/^Name:.*\n[\s\S]*\nPid:\s+\d+\n/);
    expect(snapshot.size).toBe(Buffer.byteLength(snapshot.text ?? ""));
  });

  it.runIf(process.platform === "linux")(
    "refuses it once it holds more than the limit",
    async () => {
      const snapshot = await readConfigFile(grown, 64);
      expect(snapshot.text).toBeUndefined();
      expect(snapshot.issue?.message).toMatch(/over the 64B \(64 bytes\) limit of a config file/);
    },
  );
});

describe("nesting and aliases", () => {
  it("rejects nesting deeper than the limit with its position", () => {
    const deep = `plugins:\n  - module: ./x.js\n    config: ${"[".repeat(100)}${"]".repeat(100)}\n`;
    let error: unknown;
    try {
      parseConfigText(deep, { file: "deep.yaml" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({
        file: "deep.yaml",
        line: 3,
        message: "nesting is deeper than 64 levels",
      }),
    ]);
    expect(() => parseConfigText(deep, { maxDepth: 200 })).not.toThrow();
  });

  it("reports extreme nesting as a ConfigError, not a stack overflow", () => {
    const deep = `a: ${"[".repeat(200_000)}${"]".repeat(200_000)}\n`;
    expect(() => parseConfigText(deep)).toThrowError(ConfigError);
  });

  it("rejects an alias expansion bomb", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) {
      const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
      lines.push(`${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    }
    expect(() => parseConfigText(lines.join("\n"))).toThrowError(/alias/i);
  });
});
