// The consumer projects pack-smoke.mjs installs the tarballs into: the same program run as
// ESM (`import()`) and as CommonJS (`require()`), and TypeScript files typechecked under
// `node16` (from ESM and from CJS) and `bundler` resolution. Every export of every published
// package is listed from its package.json, so a new package or subpath is covered as is.

/**
 * One program, two module systems: loads every entry, prints the names each exports (the
 * ESM and CJS lists must agree), then serves a request end to end — a testkit mock OpenAI
 * server, an @llm/di container from a YAML config, the same question twice: the second
 * answer comes from the cache.
 */
function consumerBody(load) {
  return `const load = ${load};
const entries = JSON.parse(process.argv[2]);
const shapes = {};
for (const { specifier, optionalPeers } of entries) {
  let mod;
  try {
    mod = await load(specifier);
  } catch (error) {
    // A test helper entry (@llm/cache/testing imports vitest) may only fail for lack of its
    // optional peer, which a plain user does not install.
    const missing = optionalPeers.find((peer) => String(error?.message).includes(\`'\${peer}'\`));
    if (!missing) throw error;
    shapes[specifier] = \`skipped: needs the optional peer \${missing}\`;
    continue;
  }
  // require(esm) adds \`__esModule\` to a namespace with a default export; import() does not.
  const names = Object.keys(mod).filter((name) => name !== "__esModule");
  if (names.length === 0) throw new Error(\`\${specifier} exports nothing\`);
  shapes[specifier] = names.sort();
}

const { writeFileSync } = await load("node:fs");
const { startMockProvider } = await load("@llm/testkit");
const { createLLMContainer } = await load("@llm/di");
const mock = await startMockProvider({ provider: "openai" });
const configFile = \`\${process.cwd()}/llm.config.yaml\`;
writeFileSync(
  configFile,
  \`clients:\\n  chat:\\n    provider: openai\\n    model: gpt-4o-mini\\n    apiKey: sk-test\\n    baseURL: \${mock.baseURL}\\n\`,
);
const llm = await createLLMContainer({ config: { files: [configFile], env: {} }, baseDir: process.cwd() });
try {
  mock.enqueue({ text: "Hello from the tarballs" });
  const ask = { messages: [{ role: "user", content: "hi" }] };
  const first = await llm.clients.get("chat").generate(ask);
  const second = await llm.clients.get("chat").generate(ask);
  if (first.text !== "Hello from the tarballs") throw new Error(\`unexpected answer \${first.text}\`);
  if (second.origin?.type !== "cache") throw new Error(\`second answer came from \${JSON.stringify(second.origin)}\`);
} finally {
  await llm.dispose();
  await mock.close();
}
process.stdout.write(JSON.stringify(shapes));
`;
}

export const esmConsumer = consumerBody("(specifier) => import(specifier)");

export const cjsConsumer = `(async () => {\n${consumerBody("async (specifier) => require(specifier)")}})().catch((error) => {\n  console.error(error);\n  process.exit(1);\n});\n`;

/** TypeScript importing every entry and using a few signatures, so broken .d.ts files fail. */
export function typescriptConsumer(entries) {
  const imports = entries.map((entry, i) => `import * as entry${i} from "${entry}";`);
  return `${imports.join("\n")}
import { createLLMContainer, type LLMContainer } from "@llm/di";
import { startMockProvider } from "@llm/testkit";

export const entries: readonly object[] = [${entries.map((_, i) => `entry${i}`).join(", ")}];

export async function answer(question: string): Promise<string> {
  const mock = await startMockProvider({ provider: "openai" });
  const llm: LLMContainer = await createLLMContainer({ config: { files: ["llm.config.yaml"] } });
  const reply = await llm.clients.get("chat").generate({ messages: [{ role: "user", content: question }] });
  await llm.dispose();
  await mock.close();
  return reply.text;
}
`;
}

const strictCompilerOptions = {
  strict: true,
  noEmit: true,
  types: ["node"],
  // Our .d.ts files (and what they import) are part of what is checked.
  skipLibCheck: false,
  target: "ES2022",
  lib: ["ES2023"],
};

/**
 * The TypeScript set-ups checked, by name: node16 from ESM, nodenext from ESM and CJS (TS >= 5.8
 * models require(esm) there), bundler — all with skipLibCheck off, so our .d.ts files are
 * checked. node16 from CJS runs with skipLibCheck on: TS's node16 mode predates require(esm)
 * and reports TS1479 in @llm/di's .d.cts, whose types import Inversify (ESM-only); with the
 * usual skipLibCheck the types still resolve, which is what this checks.
 */
export const typescriptSetups = {
  "node16 (ESM)": {
    options: { module: "node16", moduleResolution: "node16" },
    files: ["ts/esm.mts"],
  },
  "node16 (CJS)": {
    options: { module: "node16", moduleResolution: "node16", skipLibCheck: true },
    files: ["ts/cjs.cts"],
  },
  "nodenext (ESM and CJS)": {
    options: { module: "nodenext", moduleResolution: "nodenext" },
    files: ["ts/esm.mts", "ts/cjs.cts"],
  },
  bundler: { options: { module: "esnext", moduleResolution: "bundler" }, files: ["ts/bundler.ts"] },
};

/** The tsconfig.json of one set-up. */
export function tsconfigFor({ options, files }) {
  return { compilerOptions: { ...strictCompilerOptions, ...options }, files };
}
