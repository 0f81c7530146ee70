/**
 * Hook dispatch cost, side by side with unjs `hookable`, for 0, 1 and 10
 * handlers (sync handlers: the common case for logging and metrics).
 */
import { Hooks } from "@llm/hooks";
import { createHooks } from "hookable";
import { fmt, nsPerOp } from "../lib/measure.ts";
import { isMain, markdownTable, writeResult } from "../lib/report.ts";

type Payload = { key: string; level: string; ageMs: number };

export async function run(): Promise<string> {
  const rows: Array<Array<string | number>> = [];
  const payload: Payload = { key: "k", level: "l1", ageMs: 1 };
  for (const handlers of [0, 1, 10]) {
    const ours = new Hooks();
    const theirs = createHooks<{ onCacheHit: (p: Payload) => void }>();
    let sink = 0;
    for (let i = 0; i < handlers; i++) {
      ours.hook("onCacheHit", (p) => {
        sink += p.ageMs;
      });
      theirs.hook("onCacheHit", (p) => {
        sink += p.ageMs;
      });
    }
    // A returned promise is awaited (the caller must wait for async work);
    // a synchronous result is not — that is @llm/hooks' sync fast path.
    const oursNs = await nsPerOp(() => ours.callHook("onCacheHit", payload));
    const theirsNs = await nsPerOp(() => theirs.callHook("onCacheHit", payload));
    if (sink < 0) console.log(sink);
    rows.push([handlers, fmt(oursNs), fmt(theirsNs), fmt(oursNs / theirsNs, 2)]);
  }
  const table = markdownTable(
    ["handlers", "@llm/hooks ns/call", "hookable ns/call", "ratio (≤ 1 is better)"],
    rows,
  );
  return writeResult(
    "hooks",
    `### Hook dispatch (series; a returned promise is awaited)\n\n${table}`,
  );
}

if (isMain(import.meta.url)) console.log(await run());
