import { describe, expect, it } from "vitest";
import { Progress } from "./progress.js";

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return {
    stream: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream,
    chunks,
  };
};

describe("Progress", () => {
  it("draws a bar on a terminal and ends the line when done", () => {
    const { stream, chunks } = sink(true);
    const p = new Progress(2, stream);
    p.call(true);
    p.call(false);
    p.tick();
    p.tick();
    expect(chunks[0]).toMatch(/^\r\[█+░+\] 1\/2 tickets .* cache hits 50%/);
    expect(chunks.at(-1)).toBe("\n");
  });

  it("prints a line per tenth elsewhere, and nothing when disabled", () => {
    const { stream, chunks } = sink(false);
    const p = new Progress(20, stream);
    for (let i = 0; i < 20; i++) p.tick();
    expect(chunks).toHaveLength(11);
    const quiet = sink(false);
    const q = new Progress(5, quiet.stream, false);
    q.tick();
    expect(quiet.chunks).toEqual([]);
  });
});
