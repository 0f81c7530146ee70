import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ConfigManager } from "./config-manager.js";
import type { LLMConfig } from "./schema.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-config-load-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every edit changes model and maxTokens together, so a mixed config is detectable. */
const version = (i: number) =>
  `clients:\n  main:\n    provider: openai\n    model: model-${i}\n    params: { maxTokens: ${1000 + i} }\n    timeouts: { totalMs: ${i + 1}s }\n`;

/**
 * A client built from the config the way an app builds one: it takes the
 * config once per request and uses it for the whole (asynchronous) call.
 */
function clientFrom(manager: ConfigManager) {
  return {
    async generate(
      prompt: string,
    ): Promise<{ text: string; model: string; maxTokens: number; totalMs: number }> {
      const config: Readonly<LLMConfig> = manager.get();
      const client = config.clients.main;
      if (!client) throw new Error("no client named main");
      await new Promise((r) => setImmediate(r)); // the upstream call
      return {
        text: `${prompt} via ${client.model}`,
        model: client.model,
        maxTokens: client.params?.maxTokens ?? -1,
        totalMs: client.timeouts?.totalMs ?? -1,
      };
    },
  };
}

it("serves every request with one whole config while 100 edits land", async () => {
  const file = join(dir, "llm.yaml");
  await writeFile(file, version(0));
  // A short settle time: this test is about atomic swaps under load, not half-written files.
  const manager = await ConfigManager.load({
    files: [file],
    env: {},
    watch: true,
    debounceMs: 5,
    settleMs: 10,
  });
  const errors: unknown[] = [];
  manager.onError((error) => errors.push(error));
  const client = clientFrom(manager);

  let editing = true;
  let calls = 0;
  const failures: unknown[] = [];
  const seenVersions = new Set<number>();
  const traffic = (async () => {
    while (editing) {
      try {
        const response = await client.generate(`q${calls}`);
        const i = Number(response.model.slice("model-".length));
        // One whole config: the fields every edit changes together agree.
        if (response.maxTokens !== 1000 + i || response.totalMs !== (i + 1) * 1000) {
          failures.push(response);
        }
        seenVersions.add(i);
      } catch (error) {
        failures.push(error);
      }
      calls++;
    }
  })();

  try {
    for (let i = 1; i <= 100; i++) {
      // Alternate in-place writes and editor-style rename writes.
      if (i % 2 === 0) {
        const temp = join(dir, `.llm.yaml.${i}.tmp`);
        await writeFile(temp, version(i));
        await rename(temp, file);
      } else {
        await writeFile(file, version(i));
      }
      const deadline = Date.now() + 10_000;
      while (manager.get().clients.main?.model !== `model-${i}`) {
        if (Date.now() > deadline) throw new Error(`edit ${i} was never applied`);
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    editing = false;
    await traffic;
    await manager.close();
  }

  expect(failures).toEqual([]);
  expect(manager.get().clients.main?.params?.maxTokens).toBe(1100);
  expect(calls).toBeGreaterThan(100);
  expect(seenVersions.size).toBeGreaterThan(50);
  // A partially written file may be read mid-write and rejected; the last good config stays.
  for (const error of errors) expect(String(error)).toMatch(/Invalid configuration/);
});
