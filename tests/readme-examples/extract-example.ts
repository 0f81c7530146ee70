/**
 * Finds the example a README promises a new user: the first TypeScript block
 * of its "Example" (or "Quick start") section, else of the first section that
 * has one. Blocks in that section that name a file — a first line
 * `// audit-plugin.mjs` or `# llm.config.yaml`, or a line "`llm.yaml`:" just
 * before the block — are files the program reads, written beside it.
 */
export interface ReadmeExample {
  /** The heading of the section the example came from. */
  section: string;
  program: string;
  files: ReadonlyArray<{ name: string; content: string }>;
}

interface Block {
  lang: string;
  code: string;
  /** The last non-empty line of prose before the block. */
  lead: string;
}

const FENCE = /^```([\w-]*)\n([\s\S]*?)^```$/gm;
const NAMED_LEAD = /^`([\w./-]+\.\w+)`:$/;
const NAMED_FIRST_LINE = /^(?:\/\/|#)\s*([\w./-]+\.(?:m?[jt]s|ya?ml|json))\s*$/;

function blocksOf(section: string): Block[] {
  const blocks: Block[] = [];
  let previousEnd = 0;
  for (const match of section.matchAll(FENCE)) {
    const prose = section.slice(previousEnd, match.index).trim().split("\n");
    blocks.push({ lang: match[1] ?? "", code: match[2] ?? "", lead: prose.at(-1)?.trim() ?? "" });
    previousEnd = (match.index ?? 0) + match[0].length;
  }
  return blocks;
}

function fileNameOf(block: Block): string | undefined {
  const fromLead = NAMED_LEAD.exec(block.lead)?.[1];
  if (fromLead) return fromLead;
  const firstLine = block.code.split("\n", 1)[0] ?? "";
  return NAMED_FIRST_LINE.exec(firstLine)?.[1];
}

export function readmeExample(markdown: string): ReadmeExample | undefined {
  const sections = markdown.split(/^## /m).slice(1);
  const hasProgram = (s: string) => blocksOf(s).some((b) => b.lang === "ts" && !fileNameOf(b));
  const chosen =
    sections.find((s) => /^(Example|Quick start)/i.test(s) && hasProgram(s)) ??
    sections.find(hasProgram);
  if (chosen === undefined) return undefined;
  const files: Array<{ name: string; content: string }> = [];
  let program: string | undefined;
  for (const block of blocksOf(chosen)) {
    const name = fileNameOf(block);
    if (name !== undefined) files.push({ name, content: block.code });
    else if (block.lang === "ts" && program === undefined) program = block.code;
  }
  if (program === undefined) return undefined;
  return { section: chosen.split("\n", 1)[0] ?? "", program, files };
}
