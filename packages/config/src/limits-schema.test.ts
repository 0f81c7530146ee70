import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.js";

const client = { provider: "openai", model: "gpt-4o-mini" };

describe("response limits and pool shutdown settings", () => {
  it("reads clients.<name>.limits in human units", async () => {
    const config = await loadConfig({
      env: {},
      overrides: {
        clients: {
          fast: {
            ...client,
            limits: {
              maxLineBytes: "64KiB",
              maxBodyBytes: "8MiB",
              maxStreamBytes: "64MiB",
              streamIdleMs: "30s",
            },
          },
        },
      },
    });
    expect(config.clients.fast?.limits).toEqual({
      maxLineBytes: 65_536,
      maxBodyBytes: 8 * 1024 * 1024,
      maxStreamBytes: 64 * 1024 * 1024,
      streamIdleMs: 30_000,
    });
  });

  it("reads pool.closeTimeoutMs and pool.maxBodyBytes", async () => {
    const config = await loadConfig({
      env: {},
      overrides: { pool: { closeTimeoutMs: "2s", maxBodyBytes: "1MiB" } },
    });
    expect(config.pool).toMatchObject({ closeTimeoutMs: 2_000, maxBodyBytes: 1_048_576 });
  });

  it("rejects an unknown limit by its path", async () => {
    await expect(
      loadConfig({
        env: {},
        // A typo a YAML file could hold; typed code cannot write it.
        overrides: { clients: { fast: { ...client, limits: { maxLines: 3 } } } } as never,
      }),
    ).rejects.toThrow(/clients\.fast\.limits/);
  });
});
