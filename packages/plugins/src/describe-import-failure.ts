import { closeSync, openSync, readSync } from "node:fs";
import { redactSecrets } from "@llm/core";

/**
 * Why a plugin module failed to import, in words that never quote the file.
 *
 * A config may name the wrong file as a plugin (the config itself, a `.env`).
 * Parsers quote the text they choke on: Node's `SyntaxError` names the
 * offending token (`Unexpected identifier 'sk-live-…'`) and, for CommonJS,
 * prints the whole line in the stack; bundler loaders (Vite, esbuild, tsx)
 * add a code frame. So a parse failure is described by its kind and line
 * only, and any other error that repeats a line of the file is treated the
 * same way; in both cases the original error is not kept as the cause.
 */
export interface ImportFailure {
  reason: string;
  /** The original error, when it is safe to keep (it quotes no source text). */
  cause: unknown;
}

/** How much of the file is read to check an error message against it. */
const SOURCE_SAMPLE_BYTES = 1024 * 1024;
/** Shorter lines (`}`, `main:`) are too common to mean the message quotes the file. */
const MIN_QUOTED_LINE = 6;

export function describeImportFailure(error: unknown, file: string): ImportFailure {
  try {
    return describe(error, file);
  } catch {
    // The module threw an Error whose fields cannot be read as text (a Symbol `code` or
    // `name`, a throwing `message` getter): say so rather than let a TypeError escape.
    return { reason: "it threw an Error whose message cannot be read", cause: undefined };
  }
}

function describe(error: unknown, file: string): ImportFailure {
  if (isParseFailure(error)) {
    const line = syntaxErrorLine(error, file);
    return { reason: notJavaScript(line), cause: undefined };
  }
  if (!(error instanceof Error)) return { reason: "it threw a non-Error value", cause: undefined };
  const code = (error as NodeJS.ErrnoException).code;
  const reason = `${code ?? error.name}: ${error.message}`;
  if (quotesSource(`${reason}\n${causeText(error)}`, file)) {
    return {
      reason: `${code ?? error.name} (its message quotes the file and is not shown)`,
      cause: undefined,
    };
  }
  return { reason: redactSecrets(reason), cause: error };
}

function notJavaScript(line: number | undefined): string {
  const at = line === undefined ? "" : ` at line ${line}`;
  return `the file is not valid JavaScript (a syntax error${at}; its text is not shown)`;
}

function isParseFailure(error: unknown): error is Error {
  // `instanceof SyntaxError` fails for errors from another realm (a loader, a VM context).
  if (!(error instanceof Error)) return false;
  if (error instanceof SyntaxError || error.name === "SyntaxError") return true;
  const head = `${error.name} ${error.message.split("\n", 1)[0] ?? ""}`;
  return /\b(?:parse|parsing|syntax)\b/i.test(head) || "frame" in error || "loc" in error;
}

/** CommonJS syntax errors start their stack with `<file>:<line>`; ESM ones do not say. */
function syntaxErrorLine(error: Error, file: string): number | undefined {
  const first = error.stack?.split("\n", 1)[0] ?? "";
  if (!first.startsWith(`${file}:`)) return undefined;
  const line = Number.parseInt(first.slice(file.length + 1), 10);
  return Number.isInteger(line) && line > 0 ? line : undefined;
}

function causeText(error: Error): string {
  const parts: string[] = [error.stack ?? ""];
  let cause = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 4; depth++) {
    parts.push(cause.message, cause.stack ?? "");
    cause = cause.cause;
  }
  return parts.join("\n");
}

/** True when `text` repeats a non-trivial line of the file. */
function quotesSource(text: string, file: string): boolean {
  const source = readSample(file);
  if (source === undefined) return false;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (line.length >= MIN_QUOTED_LINE && text.includes(line)) return true;
  }
  return false;
}

function readSample(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const buffer = Buffer.alloc(SOURCE_SAMPLE_BYTES);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString("utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
