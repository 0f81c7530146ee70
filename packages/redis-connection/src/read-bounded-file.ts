import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** A file's text, or why it cannot be used (said without its path: the caller names it). */
export type BoundedRead = { text: string } | { problem: string };

// Opening a FIFO blocks until a writer opens it; non-blocking, it opens at
// once and is refused below as "not a file". No effect on regular files.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads `file` as UTF-8, refusing it when it holds more than `limit` bytes.
 * The bound is on the bytes actually read — up to `limit + 1` — not on the
 * size `stat` reported: a file may grow between the two, and some files
 * (`/proc`, `/sys`) report a size that is not their content's. Only regular
 * files are read.
 */
export function readBoundedFile(file: string, limit: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (error) {
    return { problem: describeFileError(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: "not a file" };
    if (stat.size > limit) return { problem: tooLarge(limit) };
    // Sized for what stat says (plus the byte that tells a grown file), grown while the file gives more.
    let buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    while (true) {
      if (length === buffer.length) {
        if (length > limit) return { problem: tooLarge(limit) };
        const larger = Buffer.alloc(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { text: buffer.subarray(0, length).toString("utf8") };
  } catch (error) {
    return { problem: describeFileError(error) };
  } finally {
    closeSync(fd);
  }
}

const tooLarge = (limit: number) => `larger than ${limit} bytes`;

/** The reason only (`ENOENT` …): Node's own message repeats the path, which may be a key. */
function describeFileError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "not a file";
  return typeof code === "string" ? `cannot be read (${code})` : "cannot be read";
}
