import { parseConfigText } from "@llm/config";
import { ConfigError } from "@llm/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wireText } from "./support/chunks.js";
import { fuzzParams } from "./support/fuzz.js";
import { mutatedJson, mutatedText } from "./support/mutate.js";

const RUNS = 400;

const VALID_YAML = `
clients:
  main:
    provider: openai
    model: gpt-4o-mini
    apiKey: \${OPENAI_API_KEY:-sk-test-fuzz}
    params: { temperature: 0, maxTokens: 512 }
    retries: { maxAttempts: 3, baseDelayMs: 100 }
    timeouts: { totalMs: 30s }
    fallbacks: [backup]
  backup:
    provider: anthropic
    model: claude-3-5-haiku-latest
cache:
  enabled: true
  l1: { maxEntries: 1000, maxBytes: 64mb }
  l2: { type: sqlite, path: ./cache.db }
pool: { connections: 16 }
plugins:
  - module: ./audit.mjs
    config: { token: abc }
`;

const VALID_OBJECT = parseConfigText(VALID_YAML, { file: "llm.yaml", env: {} });

/** A config either loads or is refused with a ConfigError naming the problem; nothing else. */
function expectConfigOrConfigError(text: string, file: string): void {
  try {
    const config = parseConfigText(text, { file, env: {} });
    expect(typeof config).toBe("object");
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.length).toBeGreaterThan(0);
  }
}

describe("parseConfigText on outside input", () => {
  it("loads the seed config the fuzzer damages", () => {
    expect(VALID_OBJECT).toMatchObject({ clients: { main: { model: "gpt-4o-mini" } } });
  });

  it("returns a config or throws a ConfigError for damaged YAML", () => {
    fc.assert(
      fc.property(
        fc.oneof(mutatedText(VALID_YAML), wireText, fc.string({ maxLength: 200 })),
        (text) => expectConfigOrConfigError(text, "llm.yaml"),
      ),
      fuzzParams(RUNS),
    );
  });

  it("returns a config or throws a ConfigError for damaged JSON", () => {
    const json = JSON.stringify(parseConfigText(VALID_YAML, { file: "llm.yaml", env: {} }));
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedJson(JSON.parse(json)).map((v) => JSON.stringify(v) ?? "null"),
          mutatedText(json),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        ),
        (text) => expectConfigOrConfigError(text, "llm.json"),
      ),
      fuzzParams(RUNS),
    );
  });
});
