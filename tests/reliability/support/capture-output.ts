import { format } from "node:util";

const METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;

/** Captures every console call and every write to stdout / stderr until `stop()`. */
export function captureOutput(): { readonly lines: string[]; stop(): void } {
  const lines: string[] = [];
  const originals = METHODS.map((m) => [m, console[m]] as const);
  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => void lines.push(format(...args));
  }
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const grab = (chunk: unknown) => {
    lines.push(
      typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"),
    );
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  return {
    lines,
    stop() {
      for (const [method, original] of originals) console[method] = original;
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
    },
  };
}
