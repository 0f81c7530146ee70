import { describe, expect, it } from "vitest";
import { readmeExample } from "./extract-example.js";

const fence = "```";

describe("readmeExample", () => {
  it("takes the first ts block of the Example section, and the files it names", () => {
    const readme = [
      "# pkg",
      "## Install",
      `${fence}ts\nconsole.log("not this");\n${fence}`,
      "## Example",
      "`llm.yaml`:",
      "",
      `${fence}yaml\nclients: {}\n${fence}`,
      `${fence}ts\n// plugins/audit.mjs\nexport default {};\n${fence}`,
      `${fence}yaml\n# other.config.yaml\na: 1\n${fence}`,
      `${fence}ts\nconsole.log(1);\n${fence}`,
      `${fence}ts\nconsole.log(2);\n${fence}`,
      "## Later",
    ].join("\n");
    expect(readmeExample(readme)).toEqual({
      section: "Example",
      program: "console.log(1);\n",
      files: [
        { name: "llm.yaml", content: "clients: {}\n" },
        { name: "plugins/audit.mjs", content: "// plugins/audit.mjs\nexport default {};\n" },
        { name: "other.config.yaml", content: "# other.config.yaml\na: 1\n" },
      ],
    });
  });

  it("accepts a Quick start section, and otherwise the first section with a program", () => {
    expect(
      readmeExample(`# p\n## Quick start (offline)\n${fence}ts\nrun();\n${fence}\n`)?.program,
    ).toBe("run();\n");
    const noExample = `# p\n## Why\ntext\n## Use\n${fence}ts\nuse();\n${fence}\n## More\n${fence}ts\nmore();\n${fence}\n`;
    expect(readmeExample(noExample)).toMatchObject({ section: "Use", program: "use();\n" });
  });

  it("skips an Example section whose only ts block is a file", () => {
    const readme = `# p\n## Example\n${fence}ts\n// plugin.mjs\nx;\n${fence}\n## Run\n${fence}ts\nrun();\n${fence}\n`;
    expect(readmeExample(readme)).toMatchObject({ section: "Run", program: "run();\n", files: [] });
  });

  it("is undefined for a README without a TypeScript program", () => {
    expect(readmeExample(`# p\n## Use\n${fence}sh\npnpm add p\n${fence}\n`)).toBeUndefined();
    expect(readmeExample("# p\nno sections")).toBeUndefined();
  });
});
