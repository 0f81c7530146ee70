#!/usr/bin/env node
import { join } from "node:path";
import { parseDemoArgs, USAGE } from "./cli/args.js";
import { appDir, runDemo } from "./run-demo.js";

async function main(): Promise<number> {
  let args: ReturnType<typeof parseDemoArgs>;
  try {
    // `pnpm demo -- --flag` passes a leading "--" through; it means nothing here.
    const argv = process.argv.slice(2);
    if (argv[0] === "--") argv.shift();
    args = parseDemoArgs(argv, join(appDir, "llm.config.yaml"));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const stopSignal = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  return runDemo(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    stopSignal,
  });
}

main().then(
  (code) => {
    // No process.exit(): the demo disposes everything it opened, so the process ends by itself.
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `workflow-demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
