import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fourProviderYaml, type Mocks, packageDir, startMocks, tempDir } from "./helpers.js";

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
  // Async spawn: the testkit servers live in this process and must keep answering.
  const child = spawn(
    process.execPath,
    [
      "--conditions=@llm/source",
      "--import",
      "tsx",
      join(packageDir, "test", "fixtures", "dispose-and-exit.ts"),
      config,
      packageDir,
    ],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(killer);
  const run = { stdout, stderr, status };
  expect(run.stderr).toBe("");
  expect(run.stdout.trim()).toBe("served:openai");
  expect(run.status).toBe(0);
});
