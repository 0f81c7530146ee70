import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBoundedFile } from "./read-bounded-file.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "llm-read-bounded-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A regular file whose stat size is 0 but whose content is not (Linux `/proc`). */
const PROC_FILE = "/proc/self/status";
const hasProc = existsSync(PROC_FILE) && statSync(PROC_FILE).size === 0;
const canMakeFifo = (() => {
  try {
    execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("readBoundedFile", () => {
  it("reads a file of exactly the limit", () => {
    const file = join(dir, "exact.pem");
    writeFileSync(file, "a".repeat(64));
    expect(readBoundedFile(file, 64)).toEqual({ text: "a".repeat(64) });
  });

  it("reads an empty file as empty text", () => {
    const file = join(dir, "empty.pem");
    writeFileSync(file, "");
    expect(readBoundedFile(file, 64)).toEqual({ text: "" });
  });

  it("refuses a file one byte larger than the limit", () => {
    const file = join(dir, "big.pem");
    writeFileSync(file, "a".repeat(65));
    expect(readBoundedFile(file, 64)).toEqual({ problem: "larger than 64 bytes" });
  });

  it.runIf(hasProc)("bounds what it reads, not what stat says: a size-0 /proc file", () => {
    const content = readFileSync(PROC_FILE, "utf8");
    expect(content.length).toBeGreaterThan(64);
    expect(readBoundedFile(PROC_FILE, 64)).toEqual({ problem: "larger than 64 bytes" });
    const whole = readBoundedFile(PROC_FILE, 1024 * 1024);
    expect("text" in whole && whole.text.startsWith("Name:")).toBe(true);
  });

  it.runIf(canMakeFifo)("refuses a FIFO at once, without waiting for a writer", () => {
    const fifo = join(dir, "ca.fifo");
    execFileSync("mkfifo", [fifo]);
    expect(readBoundedFile(fifo, 64)).toEqual({ problem: "not a file" });
  });

  it("refuses a device file and a directory", () => {
    if (existsSync("/dev/zero")) {
      expect(readBoundedFile("/dev/zero", 64)).toEqual({ problem: "not a file" });
    }
    expect(readBoundedFile(dir, 64)).toEqual({ problem: "not a file" });
  });

  it("says why a file cannot be opened, without its path", () => {
    const missing = join(dir, "nope.pem");
    expect(readBoundedFile(missing, 64)).toEqual({ problem: "no such file" });
  });
});
