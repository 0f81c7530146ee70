import { rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChatRequest } from "@llm/core";
import { createLLMContainer, type LLMContainer, TOKENS } from "@llm/di";
import { provider as openaiProvider } from "@llm/provider-openai";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./support/temp-dir.js";

const EDITS = 100;
const WORKERS = 8;

/** Every version changes the model and maxTokens together, so a mixed config would show. */
const validVersion = (i: number, baseURL: string) => `
clients:
  main:
    provider: openai
    model: model-${i}
    apiKey: sk-test-config-churn
    baseURL: ${baseURL}
    params: { maxTokens: ${1000 + i} }
    retries: { maxAttempts: 1 }
cache:
  enabled: false
`;

/**
 * Broken in turn as YAML, against the schema, and as a half-written file cut
 * inside a flow mapping. (A file cut at a line end can be a VALID config —
 * a client without its key — which no loader can tell from an intended edit.)
 */
const invalidVersion = (i: number, baseURL: string) => {
  const valid = validVersion(i, baseURL);
  return (
    [
      "clients:\n  main: [provider: openai\n    model: {{{",
      `clients:\n  main:\n    provider: 42\n    model: ""\n    baseURL: not a url\n`,
      valid.slice(0, valid.indexOf("maxTokens") + 12),
    ][i % 3] ?? ""
  );
};

const ask = (n: number): ChatRequest => ({ messages: [{ role: "user", content: `churn ${n}` }] });

describe("the config file rewritten with invalid then valid content under load", () => {
  const tmp = tempDir("config");
  let mock: MockProvider;
  let llm: LLMContainer;
  let file: string;

  beforeAll(async () => {
    // The answer names the model and max_tokens the request carried: what config it saw.
    mock = await startMockProvider({
      provider: "openai",
      maxRecorded: 0,
      responder: (request) => {
        const body = request.body as {
          model?: string;
          max_tokens?: number;
          max_completion_tokens?: number;
        };
        return { text: `${body.model}|${body.max_tokens ?? body.max_completion_tokens}` };
      },
    });
    file = tmp.path("llm.yaml");
    await writeFile(file, validVersion(0, mock.baseURL));
    llm = await createLLMContainer({
      // Edits land every 25 ms here; a 5 ms settle (default 200 ms) lets most versions apply.
      config: { files: [file], env: {}, watch: true, debounceMs: 5, settleMs: 5 },
      baseDir: dirname(fileURLToPath(import.meta.url)),
      conditions: ["@llm/source"],
      providers: [openaiProvider],
    });
  });

  afterAll(async () => {
    await llm?.dispose();
    await mock?.close();
    tmp.remove();
  });

  it("fails no request and serves each one with a single whole config", async () => {
    const manager = llm.get(TOKENS.ConfigManager);
    const rejected: unknown[] = [];
    manager.onError((error) => rejected.push(error));
    const client = llm.clients.get("main");
    const failures: unknown[] = [];
    const mixed: string[] = [];
    const versions = new Set<number>();
    let calls = 0;
    let editing = true;

    const worker = async () => {
      while (editing) {
        const n = calls++;
        try {
          const { text } = await client.generate(ask(n));
          const [model, maxTokens] = text.split("|");
          const version = Number(model?.slice("model-".length));
          if (Number(maxTokens) !== 1000 + version) mixed.push(text);
          versions.add(version);
        } catch (error) {
          failures.push(error);
          if (failures.length > 100) editing = false; // a broken setup must not spin forever
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    const settle = () => new Promise((resolve) => setTimeout(resolve, 25));

    try {
      for (let i = 1; i <= EDITS; i++) {
        await writeFile(file, invalidVersion(i, mock.baseURL));
        await settle();
        // Half the valid writes are editor-style: a temp file renamed over the config.
        if (i % 2 === 0) {
          const temp = tmp.path(`.llm.yaml.${i}.tmp`);
          await writeFile(temp, validVersion(i, mock.baseURL));
          await rename(temp, file);
        } else {
          await writeFile(file, validVersion(i, mock.baseURL));
        }
        await settle();
      }
      for (let i = 0; i < 100 && !versions.has(EDITS); i++) await settle();
    } finally {
      editing = false;
      await load;
    }

    expect(failures).toEqual([]);
    expect(mixed).toEqual([]);
    expect(versions.has(EDITS)).toBe(true);
    expect(versions.size).toBeGreaterThan(10);
    expect(rejected.length).toBeGreaterThan(0);
    expect(manager.get().clients.main?.model).toBe(`model-${EDITS}`);
    expect(calls).toBeGreaterThan(EDITS);
  });
});
