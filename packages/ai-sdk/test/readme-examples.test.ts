import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * Every example in the README is a file under examples/, pasted verbatim
 * (checked here), and run here against testkit servers, its printed values checked.
 */
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const source = (name: string) =>
  readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8");

async function run(name: string): Promise<unknown[][]> {
  const printed: unknown[][] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(args);
  });
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  await import(`../examples/${name}`);
  return printed;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("README examples", () => {
  it.each(["cache-any-model.ts", "llm-kit-as-model.ts", "pool-fetch.ts"])(
    "%s is in the README verbatim",
    (name) => {
      expect(readme).toContain(`\`\`\`ts\n${source(name)}\`\`\``);
    },
  );

  it("cache-any-model.ts serves the repeat from the cache and replays it as a stream", async () => {
    const printed = await run("cache-any-model.ts");
    expect(printed[0]).toEqual([{ type: "upstream" }]);
    expect(printed[1]![0]).toMatchObject({ type: "cache", level: "l1" });
    expect(printed.slice(2)).toEqual([[true], [1, 1]]);
  });

  it("llm-kit-as-model.ts answers text, a tool loop and structured output through a container", async () => {
    const printed = await run("llm-kit-as-model.ts");
    expect(printed[0]![0]).toBe(true);
    expect(printed[0]![1]).toBeGreaterThan(0);
    expect(printed.slice(1)).toEqual([["weather"], ["string", "number"]]);
  });

  it("pool-fetch.ts sends an AI SDK provider's calls through the pool", async () => {
    expect(await run("pool-fetch.ts")).toEqual([[3]]);
  });
});
