import { open } from "node:fs/promises";
import type { ConfigIssue } from "@llm/core";
import { formatBytes } from "./units.js";

/**
 * Reads one config file with a size bound, and records what is needed to
 * tell whether it changed between two reads (bytes, size, mtime, inode).
 */

/** Default bound of one config file: far above any real config, far below what would stall the process. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export interface FileSnapshot {
  file: string;
  /** The text, when the file was read; absent with `issue`. */
  text?: string;
  /** Why the file could not be used (missing, unreadable, too large). */
  issue?: ConfigIssue;
  size: number;
  mtimeMs: number;
  ino: number;
}

export function tooLargeMessage(size: number, limit: number): string {
  return `is ${formatBytes(size)} (${size} bytes), over the ${formatBytes(limit)} (${limit} bytes) limit of a config file (option maxFileBytes)`;
}

export async function readConfigFile(file: string, maxBytes: number): Promise<FileSnapshot> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, "r");
    const stat = await handle.stat();
    const base = { file, size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino };
    if (stat.size > maxBytes) return { ...base, issue: tooLarge(file, stat.size, maxBytes) };
    // Bounded by the bytes read, not by stat's size: the file may grow between stat and
    // read (a write in progress), and some files report a size that is not their content's.
    // Sized for what stat says plus the byte that tells a grown file, grown while the file
    // gives more, never past one byte over the limit.
    let buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    while (true) {
      if (length === buffer.length) {
        if (length > maxBytes) return { ...base, issue: tooLarge(file, length, maxBytes) };
        const larger = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { ...base, size: length, text: buffer.subarray(0, length).toString("utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      file,
      size: -1,
      mtimeMs: -1,
      ino: -1,
      issue: {
        path: "",
        file,
        message:
          code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`,
      },
    };
  } finally {
    await handle?.close();
  }
}

function tooLarge(file: string, size: number, limit: number): ConfigIssue {
  return { path: "", file, message: `file ${tooLargeMessage(size, limit)}` };
}

/** Same bytes, size, modification time and inode: nothing wrote to the file between the two reads. */
export function sameSnapshot(a: FileSnapshot, b: FileSnapshot): boolean {
  return (
    a.file === b.file &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ino === b.ino &&
    a.text === b.text &&
    a.issue?.message === b.issue?.message
  );
}
