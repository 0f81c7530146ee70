#!/usr/bin/env node
// The published entry of the `llm-testkit` command. It lives outside dist/ so that
// `pnpm install` in the workspace (before any build) can link it without warnings;
// it loads the built CLI, or says how to build it when run from an unbuilt checkout.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    "llm-testkit: dist/cli.js is missing; build it first: pnpm --filter @llm/testkit build\n",
  );
  process.exit(1);
}
await import(cli.href);
