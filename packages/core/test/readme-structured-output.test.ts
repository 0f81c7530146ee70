import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = readFileSync(new URL("./structured-output.example.ts", import.meta.url), "utf8");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the README's structured-output example", () => {
  it("is the example file, word for word", () => {
    expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
  });

  it("runs and prints what its comments say", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    await import("./structured-output.example.js");
    expect(lines).toEqual(["21", "days so far: 1", "days so far: 2", "done: Paris", "country"]);
  });
});
