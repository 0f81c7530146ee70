import { mkdtemp, open, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { type ConfigChangeEvent, ConfigManager } from "./config-manager.js";
import type { LLMConfig } from "./schema.js";
import { defineConfigSection } from "./sections.js";

let dir: string;
let managers: { close(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-config-watch-"));
});
afterEach(async () => {
  await Promise.all(managers.map((m) => m.close()));
  managers = [];
  await rm(dir, { recursive: true, force: true });
});

const yaml = (model: string, maxTokens = 100) =>
  `clients:\n  main:\n    provider: openai\n    model: ${model}\n    params: { maxTokens: ${maxTokens} }\n`;

async function waitFor(check: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function start(
  text: string,
  options: { watch?: boolean; debounceMs?: number; settleMs?: number } = {},
) {
  const file = join(dir, "llm.yaml");
  await writeFile(file, text);
  const manager = await ConfigManager.load({
    files: [file],
    env: {},
    watch: true,
    debounceMs: 30,
    ...options,
  });
  managers.push(manager);
  const changes: ConfigChangeEvent<LLMConfig>[] = [];
  const errors: ConfigError[] = [];
  manager.onChange((event) => changes.push(event));
  manager.onError((error) => errors.push(error));
  return { file, manager, changes, errors };
}

const modelOf = (manager: ConfigManager) => manager.get().clients.main?.model;

describe("ConfigManager without watching", () => {
  it("throws a ConfigError when the first load is invalid", async () => {
    const file = join(dir, "bad.yaml");
    await writeFile(file, "pool: { connections: none }\n");
    await expect(ConfigManager.load({ files: [file], env: {} })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it("reloads on demand and reports the changed paths", async () => {
    const { file, manager, changes } = await start(yaml("a"), { watch: false });
    await writeFile(file, yaml("b", 200));
    await expect(manager.reload()).resolves.toBe(true);
    expect(modelOf(manager)).toBe("b");
    expect(changes).toHaveLength(1);
    expect(changes[0]?.changes).toEqual([
      { path: "clients.main.model", before: "a", after: "b" },
      { path: "clients.main.params.maxTokens", before: 100, after: 200 },
    ]);
    expect(changes[0]?.previous.clients.main?.model).toBe("a");
    expect(changes[0]?.config).toBe(manager.get());
  });

  it("resolves true without notifying when nothing changed", async () => {
    const { manager, changes } = await start(yaml("a"), { watch: false });
    await expect(manager.reload()).resolves.toBe(true);
    expect(changes).toEqual([]);
  });

  it("stops notifying a listener after its disposer runs", async () => {
    const { file, manager } = await start(yaml("a"), { watch: false });
    const seen: string[] = [];
    const dispose = manager.onChange((event) =>
      seen.push(String(event.config.clients.main?.model)),
    );
    await writeFile(file, yaml("b"));
    await manager.reload();
    dispose();
    await writeFile(file, yaml("c"));
    await manager.reload();
    expect(seen).toEqual(["b"]);
  });

  it("reports a throwing change listener and still calls the others", async () => {
    const { file, manager, changes, errors } = await start(yaml("a"), { watch: false });
    manager.onChange(() => {
      throw new Error("listener bug");
    });
    const after: string[] = [];
    manager.onChange((event) => after.push(String(event.config.clients.main?.model)));
    await writeFile(file, yaml("b"));
    await expect(manager.reload()).resolves.toBe(true);
    expect(changes).toHaveLength(1);
    expect(after).toEqual(["b"]);
    expect(errors.map((e) => e.message)).toEqual(["A config change listener threw"]);
  });

  it("emits a process warning for a rejected reload when nobody listens for errors", async () => {
    const file = join(dir, "solo.yaml");
    await writeFile(file, yaml("a"));
    const manager = await ConfigManager.load({ files: [file], env: {} });
    managers.push(manager);
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      await writeFile(file, "pool: [");
      await expect(manager.reload()).resolves.toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("Invalid configuration"), {
        code: "LLM_CONFIG_RELOAD",
      });
    } finally {
      warn.mockRestore();
    }
  });

  it("survives an error listener that throws", async () => {
    const { file, manager } = await start(yaml("a"), { watch: false });
    manager.onError(() => {
      throw new Error("error listener bug");
    });
    await writeFile(file, "pool: [");
    await expect(manager.reload()).resolves.toBe(false);
    expect(modelOf(manager)).toBe("a");
  });

  it("reads a contributed section", async () => {
    const limits = defineConfigSection(
      "limits",
      z.strictObject({ rpm: z.number().default(60) }).prefault({}),
    );
    const manager = await ConfigManager.load({
      env: {},
      sections: [limits],
      overrides: { limits: { rpm: 5 } },
    });
    managers.push(manager);
    expect(manager.section(limits).rpm).toBe(5);
    expect(manager.get().limits.rpm).toBe(5);
  });

  it("returns false from reload after close and keeps the last config", async () => {
    const { file, manager } = await start(yaml("a"));
    await manager.close();
    await writeFile(file, yaml("b"));
    await expect(manager.reload()).resolves.toBe(false);
    expect(modelOf(manager)).toBe("a");
  });
});

describe("ConfigManager hot reload", () => {
  it("applies a good edit", async () => {
    const { file, manager, changes } = await start(yaml("a"));
    await writeFile(file, yaml("b"));
    await waitFor(() => changes.length === 1, "the change event");
    expect(modelOf(manager)).toBe("b");
    expect(changes[0]?.changes).toEqual([{ path: "clients.main.model", before: "a", after: "b" }]);
  });

  it("keeps the last good config on an invalid edit and reports every problem with its position", async () => {
    const { file, manager, changes, errors } = await start(yaml("a"));
    const before = manager.get();
    await writeFile(
      file,
      "clients:\n  main:\n    provider: openai\n    model: b\n    params: { maxTokens: -1, topP: 9 }\n",
    );
    await waitFor(() => errors.length === 1, "the error report");
    expect(manager.get()).toBe(before);
    expect(changes).toEqual([]);
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect(errors[0]?.issues).toHaveLength(2);
    expect(errors[0]?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "clients.main.params.topP", file, line: 5, column: 36 }),
        expect.objectContaining({
          path: "clients.main.params.maxTokens",
          file,
          line: 5,
          column: 26,
        }),
      ]),
    );
  });

  it("keeps the last good config on a syntax error, then applies the fix", async () => {
    const { file, manager, changes, errors } = await start(yaml("a"));
    await writeFile(file, "clients: {\n");
    await waitFor(() => errors.length === 1, "the syntax error");
    expect(errors[0]?.issues[0]).toMatchObject({ file, line: expect.any(Number) });
    expect(modelOf(manager)).toBe("a");
    await writeFile(file, yaml("c"));
    await waitFor(() => changes.length === 1, "the fix");
    expect(modelOf(manager)).toBe("c");
  });

  it("follows an editor's rename-write (temp file renamed over the original)", async () => {
    const { file, manager, changes } = await start(yaml("a"));
    const temp = join(dir, ".llm.yaml.swp");
    await writeFile(temp, yaml("renamed"));
    await rename(temp, file);
    await waitFor(() => modelOf(manager) === "renamed", "the renamed content");
    expect(changes.at(-1)?.changes).toEqual([
      { path: "clients.main.model", before: "a", after: "renamed" },
    ]);
    // The watch survives the inode swap: a second edit is seen too.
    await writeFile(file, yaml("again"));
    await waitFor(() => modelOf(manager) === "again", "the edit after the rename");
  });

  it("keeps the config when the file is deleted and reloads when it comes back", async () => {
    const { file, manager, errors } = await start(yaml("a"));
    await unlink(file);
    await waitFor(() => errors.length >= 1, "the deletion report");
    expect(errors[0]?.issues).toEqual([{ path: "", file, message: "file not found" }]);
    expect(modelOf(manager)).toBe("a");
    await writeFile(file, yaml("restored"));
    await waitFor(() => modelOf(manager) === "restored", "the restored file");
  });

  it("collapses rapid edits into one reload with the final content", async () => {
    const { file, manager, changes, errors } = await start(yaml("v0"), { debounceMs: 400 });
    for (let i = 1; i <= 10; i++) await writeFile(file, yaml(`v${i}`, 100 + i));
    await waitFor(() => changes.length >= 1, "the reload");
    expect(modelOf(manager)).toBe("v10");
    expect(manager.get().clients.main?.params?.maxTokens).toBe(110);
    // Quiet period: no second reload follows the first.
    await new Promise((r) => setTimeout(r, 800));
    expect(changes).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(changes[0]?.changes).toEqual([
      { path: "clients.main.model", before: "v0", after: "v10" },
      { path: "clients.main.params.maxTokens", before: 100, after: 110 },
    ]);
  });

  it("treats a file that suddenly reads empty as a write in progress", async () => {
    const { file, manager, changes, errors } = await start(yaml("a"), { watch: false });
    await writeFile(file, "");
    await expect(manager.reload()).resolves.toBe(false);
    expect(modelOf(manager)).toBe("a");
    expect(errors[0]?.issues).toEqual([
      {
        path: "",
        file,
        message: "file is empty (a write in progress?); keeping the last good config",
      },
    ]);
    await writeFile(file, yaml("b"));
    await expect(manager.reload()).resolves.toBe(true);
    expect(changes).toHaveLength(1);
  });

  it("never applies the first half of a file written in two chunks", async () => {
    const clients = (names: string[]) =>
      `clients:\n${names
        .map(
          (n) => `  ${n}:\n    provider: openai\n    model: m-${n}\n    apiKey: key-${n}-123456\n`,
        )
        .join("")}`;
    const { file, manager, changes } = await start(clients(["main"]), { settleMs: 300 });
    const full = clients(["main", "fast", "backup"]);
    // Cut right after the `fast` client's model: a valid YAML prefix in which
    // `fast` has lost its key and `backup` is missing altogether.
    const cut = full.indexOf("    apiKey: key-fast");
    const handle = await open(file, "w");
    try {
      await handle.write(full.slice(0, cut));
      await handle.sync();
      // Longer than the debounce (30 ms): the old manager applied the prefix here.
      await new Promise((r) => setTimeout(r, 120));
      await handle.write(full.slice(cut));
    } finally {
      await handle.close();
    }
    await waitFor(() => manager.get().clients.backup !== undefined, "the complete file");
    const applied = changes.map((event) =>
      Object.entries(event.config.clients).map(
        ([name, client]) => `${name}:${client.apiKey === undefined ? "no key" : "key"}`,
      ),
    );
    expect(applied).toEqual([["main:key", "fast:key", "backup:key"]]);
    expect(manager.get().clients.fast?.apiKey?.reveal()).toBe("key-fast-123456");
  });

  it("ignores other files in the same folder", async () => {
    const { manager, changes, errors } = await start(yaml("a"));
    await writeFile(join(dir, "other.yaml"), "not: [valid");
    const probe = join(dir, "llm.yaml");
    await writeFile(probe, yaml("b"));
    await waitFor(() => changes.length === 1, "the change to the watched file");
    expect(errors).toEqual([]);
    expect(modelOf(manager)).toBe("b");
  });
});
