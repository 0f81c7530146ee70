import { closeSync, openSync, readSync } from "node:fs";

/**
 * A file's text, or `undefined` when it holds more than `maxBytes`. Bounded by the bytes
 * read, not by stat's size (a file may grow between the two, or report a size that is not
 * its content's): at most `maxBytes + 1` bytes are ever held, whatever the file holds.
 */
export function readSmallFile(path: string, maxBytes: number): string | undefined {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return length > maxBytes ? undefined : buffer.toString("utf8", 0, length);
  } finally {
    closeSync(fd);
  }
}
