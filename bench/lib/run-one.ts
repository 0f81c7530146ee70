/**
 * Child-process entry of run-all: imports one bench file, awaits `run({ quick })`, checks
 * that it returned well-formed `BenchResult`s (lib/validate.ts) and writes
 * `{ ok: true, results }` or `{ ok: false, error }` as JSON to the given path. Each bench runs
 * in a fresh process so one bench's heap, JIT state or crash cannot colour another's figures.
 *
 * Usage: node --expose-gc --conditions=@llm/source --import tsx lib/run-one.ts <bench file> <out.json> [--quick]
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { toResults } from "./validate.ts";

const rootDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const [file, out] = process.argv.slice(2);
if (file === undefined || out === undefined) {
  console.error("usage: run-one.ts <bench file> <out.json> [--quick]");
  process.exit(2);
}
try {
  const module = (await import(pathToFileURL(resolve(file)).href)) as {
    run?: (options: { quick: boolean }) => Promise<unknown>;
  };
  if (typeof module.run !== "function") throw new Error(`${file} does not export run()`);
  const results = toResults(await module.run({ quick: process.argv.includes("--quick") }), rootDir);
  writeFileSync(out, JSON.stringify({ ok: true, results }));
  // A bench that leaves a socket or timer open must not hold run-all up.
  process.exit(0);
} catch (error) {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeFileSync(out, JSON.stringify({ ok: false, error: message }));
  process.exit(1);
}
