#!/usr/bin/env node
import { CliUsageError, parseServeArgs, USAGE } from "./cli-args.js";
import { startMockProvider } from "./mock-provider.js";

/** `llm-testkit serve …`: prints the baseURL on stdout, serves until SIGINT / SIGTERM. */
async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseServeArgs>;
  try {
    command = parseServeArgs(argv);
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`llm-testkit: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const mock = await startMockProvider(command.options);
  process.stdout.write(`${mock.baseURL}\n`);
  process.stderr.write(
    `llm-testkit: ${mock.provider} mock serving at ${mock.baseURL} (Ctrl-C to stop)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const { requests, byStatus } = mock.stats();
  await mock.close();
  process.stderr.write(`llm-testkit: served ${requests} requests ${JSON.stringify(byStatus)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `llm-testkit: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
