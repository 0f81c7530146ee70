/**
 * Child-process entry of run-all: imports one bench file, awaits its `run()` and writes
 * `{ ok, markdown | error }` as JSON to the given path. Each bench runs in a fresh process so
 * one bench's heap, JIT state or crash cannot colour another's figures.
 *
 * Usage: node --conditions=@llm/source --import tsx lib/run-one.ts <bench file> <out.json>
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [file, out] = process.argv.slice(2);
if (file === undefined || out === undefined) {
  console.error("usage: run-one.ts <bench file> <out.json>");
  process.exit(2);
}
try {
  const module = (await import(pathToFileURL(resolve(file)).href)) as {
    run?: () => Promise<string>;
  };
  if (typeof module.run !== "function") throw new Error(`${file} does not export run()`);
  const markdown = await module.run();
  writeFileSync(out, JSON.stringify({ ok: true, markdown }));
} catch (error) {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeFileSync(out, JSON.stringify({ ok: false, error: message }));
  process.exitCode = 1;
}
