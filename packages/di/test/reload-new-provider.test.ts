import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChatRequest, ConfigError } from "@llm/core";
import { type MockProvider, startMockProvider } from "@llm/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createLLMContainer, type LLMContainer, TOKENS } from "../src/index.js";
import { packageDir, sourceConditions } from "./helpers.js";

/**
 * A hot reload that brings a client of a provider type the running config does
 * not use: its package is imported and its settings checked before the new
 * config is accepted, so a bad one is rejected like any invalid edit instead of
 * failing at that client's first call. Real files, watched by the real
 * ConfigManager; real provider packages answered by testkit mock servers, and
 * small real packages on disk for the ones that hang, throw or gate their import.
 */

const ask = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });
const ACCESS_KEY_ID = "AKIDRELOADNEWPROVIDER";
const SECRET_ACCESS_KEY = "reload-new-provider-secret-access-key";
const NOVA = "amazon.nova-lite-v1:0";

/** What the `gated` fixture package waits on at import, set by the test that uses it. */
interface ImportGate {
  reached(): void;
  opened: Promise<void>;
}
const gateGlobal = globalThis as { __llmGatedProvider?: ImportGate };

const FIXTURE_PACKAGES: Record<string, string> = {
  // Never finishes importing.
  stalled: "await new Promise(() => {});\nexport const provider = undefined;\n",
  broken: 'throw new Error("broken on purpose");\n',
  mislabeled:
    "export const provider = { type: 'other', create() { throw new Error('unused'); } };\n",
  // Tells the test it is being imported, then waits until the test lets it finish.
  gated: `const gate = globalThis.__llmGatedProvider;
gate?.reached();
await gate?.opened;
const unused = () => { throw new Error("the gated provider is never called"); };
export const provider = {
  type: "gated",
  create: (settings) => ({ provider: "gated", model: settings.model, generate: unused, stream: unused }),
};
`,
};

let openai: MockProvider;
let bedrock: MockProvider;
/** A folder whose node_modules holds the real openai and bedrock packages and the fixtures. */
let baseDir: string;
const open: LLMContainer[] = [];

beforeAll(async () => {
  [openai, bedrock] = await Promise.all([
    startMockProvider({ provider: "openai" }),
    startMockProvider({ provider: "bedrock", apiKey: ACCESS_KEY_ID }),
  ]);
  baseDir = mkdtempSync(join(tmpdir(), "llm-di-reload-"));
  const scope = join(baseDir, "node_modules", "@llm");
  mkdirSync(scope, { recursive: true });
  for (const real of ["openai", "bedrock"]) {
    const target = realpathSync(join(packageDir, "node_modules", "@llm", `provider-${real}`));
    symlinkSync(target, join(scope, `provider-${real}`), "dir");
  }
  for (const [type, source] of Object.entries(FIXTURE_PACKAGES)) {
    const dir = join(scope, `provider-${type}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: `@llm/provider-${type}`, type: "module", exports: "./index.js" }),
    );
    writeFileSync(join(dir, "index.js"), source);
  }
});
afterEach(async () => {
  vi.unstubAllEnvs();
  gateGlobal.__llmGatedProvider = undefined;
  await Promise.all(open.splice(0).map((c) => c.dispose()));
  openai.reset();
  bedrock.reset();
});
afterAll(async () => {
  await Promise.all([openai.close(), bedrock.close()]);
  rmSync(baseDir, { recursive: true, force: true });
});

const fastYaml = (model = "gpt-4o-mini") => `
clients:
  fast:
    provider: openai
    model: ${model}
    apiKey: sk-reload-new-provider-0123
    baseURL: ${openai.baseURL}
`;

const awsYaml = (settings = "region: eu-west-3") => `
  aws:
    provider: bedrock
    model: ${NOVA}
    baseURL: ${bedrock.baseURL}
    providerSettings:
      ${settings}
      accessKeyId: ${ACCESS_KEY_ID}
      secretAccessKey: ${SECRET_ACCESS_KEY}
`;

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A container over a watched file, with every applied change and rejected reload recorded. */
async function watched(text: string, providerImportTimeoutMs?: number) {
  const file = join(baseDir, `llm-${process.hrtime.bigint()}.yaml`);
  writeFileSync(file, text);
  const c = await createLLMContainer({
    config: { files: [file], env: {}, watch: true, debounceMs: 20, settleMs: 20 },
    baseDir,
    conditions: sourceConditions,
    ...(providerImportTimeoutMs === undefined ? {} : { providerImportTimeoutMs }),
  });
  open.push(c);
  const manager = c.get(TOKENS.ConfigManager);
  const applied: string[][] = [];
  const errors: ConfigError[] = [];
  manager.onChange(({ changes }) => applied.push(changes.map((change) => change.path)));
  manager.onError((error) => errors.push(error));
  return { c, file, manager, applied, errors, edit: (next: string) => writeFileSync(file, next) };
}

describe("a hot reload that adds a provider type", () => {
  it("imports the new provider's package before accepting it, and its client answers", async () => {
    vi.stubEnv("AWS_BEARER_TOKEN_BEDROCK", "");
    const { c, manager, edit, errors } = await watched(fastYaml());
    const registry = c.get(TOKENS.ProviderRegistry);
    expect(registry.has("bedrock")).toBe(false);
    edit(fastYaml() + awsYaml());
    await waitFor(() => manager.get().clients.aws !== undefined, "the reload");
    expect(registry.has("bedrock")).toBe(true);
    const answer = await c.clients.get("aws").generate(ask("hello after the reload"));
    expect(answer).toMatchObject({ provider: "bedrock", origin: { type: "upstream" } });
    expect(bedrock.requests[0]?.headers.authorization).toMatch(
      new RegExp(`Credential=${ACCESS_KEY_ID}/\\d{8}/eu-west-3/bedrock/aws4_request`),
    );
    expect(errors).toEqual([]);
  });

  it("rejects bad settings of the new provider and keeps the running config", async () => {
    const { c, manager, edit, errors, applied } = await watched(fastYaml());
    const running = manager.get();
    edit(fastYaml("gpt-4.1-nano") + awsYaml("regoin: eu-west-3"));
    await waitFor(() => errors.length > 0, "the rejection");
    expect(errors[0]).toBeInstanceOf(ConfigError);
    expect(errors[0]?.issues).toEqual([
      {
        path: "clients.aws.providerSettings.regoin",
        message: expect.stringContaining('unknown key "regoin"'),
        file: expect.stringContaining(".yaml"),
        line: 14,
        column: 15,
      },
    ]);
    expect(manager.get()).toBe(running);
    expect(applied).toEqual([]);
    expect(() => c.clients.get("aws")).toThrow(/Unknown client "aws"/);
    const answer = await c.clients.get("fast").generate(ask("still the old config"));
    expect(answer.model).toBe("gpt-4o-mini");
    expect(errors[0]?.message).not.toContain(SECRET_ACCESS_KEY);
  });

  it("rejects a provider whose package is not installed, naming the client and the package", async () => {
    const { manager, edit, errors } = await watched(fastYaml());
    const running = manager.get();
    edit(`${fastYaml()}  ghost: { provider: ghost, model: g1 }\n`);
    await waitFor(() => errors.length > 0, "the rejection");
    expect(errors[0]?.issues).toEqual([
      {
        path: "clients.ghost.provider",
        message: 'provider "ghost" is not installed: run `pnpm add @llm/provider-ghost`',
        file: expect.stringContaining(".yaml"),
        line: 8,
        column: 22,
      },
    ]);
    expect(manager.get()).toBe(running);
  });

  it("rejects packages that throw on import or export no provider of their type", async () => {
    const { manager, edit, errors } = await watched(fastYaml());
    const running = manager.get();
    edit(
      `${fastYaml()}  b: { provider: broken, model: m }\n  m: { provider: mislabeled, model: m }\n`,
    );
    await waitFor(() => errors.length > 0, "the rejection");
    expect(errors[0]?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: "clients.b.provider",
        message: expect.stringMatching(
          /^Module "@llm\/provider-broken" \(.+\) failed to import: Error: broken on purpose$/,
        ),
      },
      {
        path: "clients.m.provider",
        message:
          'package @llm/provider-mislabeled does not export a provider of type "mislabeled" as `provider`',
      },
    ]);
    expect(manager.get()).toBe(running);
  });

  it("rejects a reload whose provider import hangs, and applies the next edit", async () => {
    const { manager, edit, errors } = await watched(fastYaml(), 100);
    edit(`${fastYaml()}  slow: { provider: stalled, model: s1 }\n`);
    await waitFor(() => errors.length > 0, "the rejection");
    expect(errors[0]?.issues[0]).toMatchObject({
      path: "clients.slow.provider",
      message:
        "importing @llm/provider-stalled did not finish within 100 ms (option providerImportTimeoutMs)",
    });
    expect(manager.get().clients.slow).toBeUndefined();
    edit(fastYaml("gpt-4.1-nano"));
    await waitFor(() => manager.get().clients.fast?.model === "gpt-4.1-nano", "the next edit");
  });

  it("applies two quick edits in order while the first one's provider is still importing", async () => {
    let reached = false;
    let openGate = () => {};
    const opened = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    gateGlobal.__llmGatedProvider = { reached: () => (reached = true), opened };
    const { c, manager, edit, applied, errors } = await watched(fastYaml());
    const gated = `  g: { provider: gated, model: g1 }\n`;
    edit(fastYaml("gpt-4.1-mini") + gated);
    await waitFor(() => reached, "the gated import to start");
    edit(fastYaml("gpt-4.1-nano") + gated);
    openGate();
    await waitFor(() => manager.get().clients.fast?.model === "gpt-4.1-nano", "the second edit");
    expect(applied).toEqual([["clients.fast.model", "clients.g"], ["clients.fast.model"]]);
    expect(errors).toEqual([]);
    const answer = await c.clients.get("fast").generate(ask("after both edits"));
    expect(answer.model).toBe("gpt-4.1-nano");
  });

  it("does not block edits over a provider the running config already lacks", async () => {
    const { c, manager, edit, errors } = await watched(
      `${fastYaml()}  ghost: { provider: ghost, model: g1 }\n`,
    );
    expect(() => c.clients.get("ghost")).toThrow(/pnpm add @llm\/provider-ghost/);
    edit(`${fastYaml("gpt-4.1-nano")}  ghost: { provider: ghost, model: g1 }\n`);
    await waitFor(() => manager.get().clients.fast?.model === "gpt-4.1-nano", "the edit");
    expect(errors).toEqual([]);
  });
});

describe("provider packages at start", () => {
  it("fails the start when a provider package throws on import, naming the client and its line", async () => {
    const file = join(baseDir, `start-${process.hrtime.bigint()}.yaml`);
    writeFileSync(file, `${fastYaml()}  b: { provider: broken, model: m }\n`);
    const error = await createLLMContainer({
      config: { files: [file], env: {} },
      baseDir,
      conditions: sourceConditions,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: "clients.b.provider",
        message: expect.stringContaining("failed to import: Error: broken on purpose"),
        file,
        line: 8,
        column: 18,
      },
    ]);
  });
});
