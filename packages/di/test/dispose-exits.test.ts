import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  fourProviderYaml,
  type Mocks,
  packageDir,
  runFixture,
  startMocks,
  tempDir,
} from "./helpers.js";

let mocks: Mocks;
const tmp = tempDir();
beforeAll(async () => {
  mocks = await startMocks();
});
afterAll(async () => {
  await mocks.close();
  tmp.remove();
});

it("leaves an empty event loop after dispose: the process exits by itself", async () => {
  const config = tmp.write(
    "llm.yaml",
    `${fourProviderYaml(mocks).replace(
      "l2: { type: none }",
      `l2: { type: sqlite, path: ${JSON.stringify(join(tmp.dir, "c.sqlite"))} }`,
    )}memory: { sampleIntervalMs: 50 }\n`,
  );
  // No process.exit anywhere: if a socket, timer or watcher survived dispose, this would hang until the timeout.
  const run = await runFixture("dispose-and-exit.ts", [config, packageDir]);
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toBe("served:openai");
  expect(run.status).toBe(0);
});
