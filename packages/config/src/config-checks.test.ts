import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@llm/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigManager } from "./config-manager.js";
import { type ConfigCheck, parseConfigText, type ReloadCheck } from "./load-config.js";
import type { LLMConfig } from "./schema.js";

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

async function waitFor(check: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise and the function that settles it, for checks the test releases by hand. */
function gate(): { opened: Promise<void>; open(): void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const regionOf = (config: Readonly<LLMConfig>) => config.clients.aws?.providerSettings?.region;

async function managerFor(
  text: string,
  options: { watch?: boolean; checkTimeoutMs?: number } = {},
) {
  const file = join(dir, "llm.yaml");
  await writeFile(file, text);
  const manager = await ConfigManager.load({
    files: [file],
    env: {},
    settleMs: 5,
    debounceMs: 20,
    ...options,
  });
  const errors: ConfigError[] = [];
  manager.onError((error) => errors.push(error));
  return { file, manager, errors };
}

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

  it("waits for a check that answers with a promise and places its issues in the file", async () => {
    const { file, manager, errors } = await managerFor(yaml("eu-west-3"));
    const asyncCheck: ReloadCheck = async (config) => {
      await new Promise((r) => setTimeout(r, 5));
      return regionCheck(config);
    };
    manager.addCheck(asyncCheck);
    try {
      await writeFile(file, yaml("moon"));
      await expect(manager.reload()).resolves.toBe(false);
      expect(regionOf(manager.get())).toBe("eu-west-3");
      expect(errors[0]?.issues).toEqual([
        {
          path: "clients.aws.providerSettings.region",
          message: "is not a region",
          file,
          line: 6,
          column: 15,
        },
      ]);
      await writeFile(file, yaml("us-east-1"));
      await expect(manager.reload()).resolves.toBe(true);
      expect(regionOf(manager.get())).toBe("us-east-1");
    } finally {
      await manager.close();
    }
  });

  it("rejects a reload whose check never answers once checkTimeoutMs passes, and aborts its signal", async () => {
    const { file, manager, errors } = await managerFor(yaml("eu-west-3"), { checkTimeoutMs: 50 });
    const signals: AbortSignal[] = [];
    const remove = manager.addCheck((_config, { signal }) => {
      signals.push(signal);
      return new Promise<never>(() => {});
    });
    try {
      await writeFile(file, yaml("us-east-1"));
      await expect(manager.reload()).resolves.toBe(false);
      expect(regionOf(manager.get())).toBe("eu-west-3");
      expect(errors[0]).toBeInstanceOf(ConfigError);
      expect(errors[0]?.message).toContain("did not finish within 50 ms");
      expect(errors[0]?.issues[0]?.message).toContain("option checkTimeoutMs");
      expect(signals[0]?.aborted).toBe(true);
      // The hung check does not wedge the reloads after it.
      remove();
      await expect(manager.reload()).resolves.toBe(true);
      expect(regionOf(manager.get())).toBe("us-east-1");
    } finally {
      await manager.close();
    }
  });

  it("rejects a reload whose check throws, keeping the running config", async () => {
    const { file, manager, errors } = await managerFor(yaml("eu-west-3"));
    manager.addCheck(async () => {
      throw new Error("lookup failed");
    });
    try {
      await writeFile(file, yaml("us-east-1"));
      await expect(manager.reload()).resolves.toBe(false);
      expect(regionOf(manager.get())).toBe("eu-west-3");
      expect(errors[0]?.message).toBe("Config reload failed; keeping the last good config");
      expect(errors[0]?.cause).toMatchObject({ message: "lookup failed" });
    } finally {
      await manager.close();
    }
  });

  it("applies two quick edits in order while the first one's check is slow", async () => {
    const { file, manager, errors } = await managerFor(yaml("eu-west-3"), { watch: true });
    const applied: unknown[] = [];
    manager.onChange(({ config }) => applied.push(regionOf(config)));
    const slow = gate();
    const checked: unknown[] = [];
    manager.addCheck(async (config) => {
      checked.push(regionOf(config));
      if (regionOf(config) === "eu-north-1") await slow.opened;
      return [];
    });
    try {
      await writeFile(file, yaml("eu-north-1"));
      await waitFor(() => checked.includes("eu-north-1"), "the first edit's check");
      await writeFile(file, yaml("us-east-1"));
      slow.open();
      await waitFor(() => regionOf(manager.get()) === "us-east-1", "the second edit");
      expect(applied).toEqual(["eu-north-1", "us-east-1"]);
      expect(errors).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it("stops waiting for a check when the manager closes, without reporting an error", async () => {
    const { file, manager, errors } = await managerFor(yaml("eu-west-3"));
    let called = false;
    manager.addCheck(() => {
      called = true;
      return new Promise<never>(() => {});
    });
    await writeFile(file, yaml("us-east-1"));
    const reloading = manager.reload();
    await waitFor(() => called, "the check");
    await manager.close();
    await expect(reloading).resolves.toBe(false);
    expect(regionOf(manager.get())).toBe("eu-west-3");
    expect(errors).toEqual([]);
  });
});
