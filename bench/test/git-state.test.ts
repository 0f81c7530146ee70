import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { changedSince, hasLocalChanges, headCommit } from "../lib/git-state.ts";

let repo: string;
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
    cwd: repo,
    encoding: "utf8",
  });

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "bench-git-"));
  git("init", "-q");
  writeFileSync(join(repo, "measured.ts"), "export const a = 1;\n");
  writeFileSync(join(repo, "other.ts"), "export const b = 1;\n");
  git("add", ".");
  git("commit", "-qm", "first");
});

afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("whether a stored result may be reused", () => {
  it("finds nothing changed in a path untouched since the commit", () => {
    expect(changedSince(repo, headCommit(repo), ["measured.ts"])).toBe(false);
  });

  it("sees a change committed since the result's commit", () => {
    const measuredAt = headCommit(repo);
    writeFileSync(join(repo, "measured.ts"), "export const a = 2;\n");
    git("commit", "-qam", "second");
    expect(changedSince(repo, measuredAt, ["measured.ts"])).toBe(true);
  });

  it("sees an uncommitted change to a measured file", () => {
    writeFileSync(join(repo, "measured.ts"), "export const a = 3;\n");
    expect(changedSince(repo, headCommit(repo), ["measured.ts"])).toBe(true);
  });

  it("sees an untracked file inside a measured folder", () => {
    mkdirSync(join(repo, "dir"));
    writeFileSync(join(repo, "dir", "new.ts"), "x\n");
    expect(hasLocalChanges(repo, ["dir"])).toBe(true);
    expect(changedSince(repo, headCommit(repo), ["dir"])).toBe(true);
  });

  it("ignores changes to files the result does not measure", () => {
    writeFileSync(join(repo, "other.ts"), "export const b = 2;\n");
    expect(changedSince(repo, headCommit(repo), ["measured.ts"])).toBe(false);
  });

  it("treats an unknown commit as changed", () => {
    expect(changedSince(repo, "unknown", ["measured.ts"])).toBe(true);
    expect(changedSince(repo, "feedfacefeedfacefeedfacefeedfacefeedface", ["measured.ts"])).toBe(
      true,
    );
  });
});
