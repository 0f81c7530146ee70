import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ProviderName } from "./types.js";

/** Absolute path of the recorded conformance fixtures shipped with the package. */
export const fixturesDir: string = fileURLToPath(
  new URL("../fixtures/conformance/", import.meta.url),
);

export interface Fixture {
  /** `"<provider>/<base name>"`, e.g. `"openai/openai-text"`. */
  name: string;
  provider: ProviderName;
  /** The parsed non-streaming body, when recorded. */
  json: unknown;
  /** The stream's `data:` payloads, one per entry, when recorded. */
  chunks: string[] | undefined;
}

const cache = new Map<string, Fixture>();

/** Names (`"<provider>/<base>"`) of every recorded fixture for a provider, sorted. */
export function listFixtures(provider: ProviderName): string[] {
  let files: string[];
  try {
    files = readdirSync(`${fixturesDir}${provider}`);
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const file of files) {
    const base = file.endsWith(".chunks.txt")
      ? file.slice(0, -".chunks.txt".length)
      : file.endsWith(".json")
        ? file.slice(0, -".json".length)
        : undefined;
    if (base !== undefined) names.add(`${provider}/${base}`);
  }
  return [...names].sort();
}

/** Reads (once, then from memory) a fixture by name; throws naming the fixture when unknown. */
export function readFixture(name: string): Fixture {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const slash = name.indexOf("/");
  const provider = name.slice(0, slash) as ProviderName;
  if (slash <= 0 || !listFixtures(provider).includes(name)) {
    throw new Error(
      `Unknown fixture "${name}": expected "<provider>/<name>", one of ${listAll().join(", ")}`,
    );
  }
  const base = `${fixturesDir}${name}`;
  const fixture: Fixture = {
    name,
    provider,
    json: readOptional(`${base}.json`, (text) => JSON.parse(text) as unknown),
    chunks: readOptional(`${base}.chunks.txt`, (text) =>
      text.split(/\r?\n/).filter((line) => line !== ""),
    ),
  };
  cache.set(name, fixture);
  return fixture;
}

function listAll(): string[] {
  return (["openai", "anthropic", "gemini", "ollama", "mistral"] as const).flatMap(listFixtures);
}

function readOptional<T>(path: string, parse: (text: string) => T): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  return parse(text);
}
