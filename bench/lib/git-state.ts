/**
 * What git says about the files a result measures: the commit of the tree, whether those
 * files have uncommitted or untracked changes, and whether they changed since a given commit.
 * Outside a git checkout every answer is the cautious one (commit "unknown", changed).
 */
import { execFileSync, spawnSync } from "node:child_process";

export function headCommit(rootDir: string): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: rootDir, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

/** True when any of `paths` has staged, unstaged or untracked changes. */
export function hasLocalChanges(rootDir: string, paths: readonly string[]): boolean {
  const status = spawnSync(
    "git",
    ["status", "--porcelain", "--untracked-files=all", "--", ...paths],
    { cwd: rootDir, encoding: "utf8" },
  );
  return status.status !== 0 || status.stdout.trim() !== "";
}

/**
 * True when any of `paths` differs between `commit` and the working tree (committed since,
 * or changed locally, or untracked). An unknown commit counts as changed.
 */
export function changedSince(rootDir: string, commit: string, paths: readonly string[]): boolean {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) return true;
  const diff = spawnSync("git", ["diff", "--quiet", commit, "--", ...paths], { cwd: rootDir });
  // 0: no difference; 1: differences; anything else (unknown commit, not a checkout): changed.
  if (diff.status !== 0) return true;
  return hasLocalChanges(rootDir, paths);
}
