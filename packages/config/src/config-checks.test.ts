import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigManager } from "./config-manager.js";
import { type ConfigCheck, parseConfigText } from "./load-config.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "llm-config-checks-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const yaml = (region: string) =>
  `clients:\n  aws:\n    provider: bedrock\n    model: nova\n    providerSettings:\n      region: ${region}\n`;

/** What @llm/di adds: a check the schema cannot express (here: a region that must look like one). */
const regionCheck: ConfigCheck = (config) =>
  Object.entries(config.clients).flatMap(([name, client]) =>
    /^[a-z]{2}-/.test(String(client.providerSettings?.region))
      ? []
      : [{ path: `clients.${name}.providerSettings.region`, message: "is not a region" }],
  );

describe("config checks", () => {
  it("fails a load whose config the check rejects, with the file position", () => {
    expect(() => parseConfigText(yaml("eu-west-3"), { checks: [regionCheck] })).not.toThrow();
    let error: unknown;
    try {
      parseConfigText(yaml("moon"), { file: "llm.yaml", checks: [regionCheck] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      {
        path: "clients.aws.providerSettings.region",
        message: "is not a region",
        file: "llm.yaml",
        line: 6,
        column: 15,
      },
    ]);
  });

  it("rejects a reload the added check fails, keeps the running config, and stops after removal", async () => {
    const file = join(dir, "llm.yaml");
    await writeFile(file, yaml("eu-west-3"));
    const manager = await ConfigManager.load({ files: [file], env: {}, settleMs: 5 });
    const errors: ConfigError[] = [];
    manager.onError((error) => errors.push(error));
    const remove = manager.addCheck(regionCheck);
    try {
      await writeFile(file, yaml("moon"));
      await expect(manager.reload()).resolves.toBe(false);
      expect(manager.get().clients.aws?.providerSettings?.region).toBe("eu-west-3");
      expect(errors[0]?.issues[0]).toMatchObject({
        path: "clients.aws.providerSettings.region",
        message: "is not a region",
        line: 6,
      });
      remove();
      await expect(manager.reload()).resolves.toBe(true);
      expect(manager.get().clients.aws?.providerSettings?.region).toBe("moon");
    } finally {
      await manager.close();
    }
  });
});
