import { describe, expect, it } from "vitest";
import type { AlarmVerdict } from "./alarm-wins.js";
import { ALARM_EVIDENCE, GhostFeedback, GROW_GAIN, LED_THRESHOLD } from "./ghost-feedback.js";

const AHEAD: AlarmVerdict = { recencyAhead: true, recencyClearlyAhead: false };
const CLEARLY_AHEAD: AlarmVerdict = { recencyAhead: true, recencyClearlyAhead: true };

/** Rejects `count` keys from `from` on, then misses each again as LRU would have hit it. */
function rejectAndReturn(ghosts: GhostFeedback, from: number, count: number): number[] {
  for (let key = from; key < from + count; key++) ghosts.rejected(key);
  const steps: number[] = [];
  for (let key = from; key < from + count; key++) steps.push(ghosts.miss(key, true));
  return steps;
}

describe("GhostFeedback", () => {
  it("lets recency lead once LED_THRESHOLD rejected keys came back within LRU's reach", () => {
    const ghosts = new GhostFeedback(1000);
    rejectAndReturn(ghosts, 0, LED_THRESHOLD - 1);
    expect(ghosts.recencyLeads).toBe(false);
    rejectAndReturn(ghosts, 10_000, 1);
    expect(ghosts.recencyLeads).toBe(true);
  });

  it("ignores rejected keys that come back beyond LRU's reach, as on a loop longer than the cache", () => {
    const ghosts = new GhostFeedback(1000);
    for (let key = 0; key < 500; key++) ghosts.rejected(key);
    for (let key = 0; key < 500; key++) expect(ghosts.miss(key, false)).toBe(0);
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("counts a ghost hit once: the hash leaves the ghost list when it comes back", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.rejected(7);
    ghosts.miss(7, true);
    for (let i = 0; i < LED_THRESHOLD; i++) ghosts.miss(7, true);
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("grows the window by ARC's step × GROW_GAIN only while recency leads", () => {
    const ghosts = new GhostFeedback(1000);
    const steps = rejectAndReturn(ghosts, 0, LED_THRESHOLD + 2);
    expect(steps.slice(0, LED_THRESHOLD - 1).every((step) => step === 0)).toBe(true);
    // |evicted| = 0, so ARC's step is its minimum, one entry.
    expect(steps.at(-1)).toBe(GROW_GAIN);
  });

  it("scales the step by |evicted| ÷ |rejected|, as ARC does on a B1 hit", () => {
    const ghosts = new GhostFeedback(1000);
    rejectAndReturn(ghosts, 0, LED_THRESHOLD);
    for (let key = 100; key < 140; key++) ghosts.evicted(key);
    for (let key = 200; key < 210; key++) ghosts.rejected(key);
    // 40 evicted hashes against 10 rejected ones: a step of 4 entries, times the gain.
    expect(ghosts.miss(200, true)).toBe(4 * GROW_GAIN);
  });

  it("stops leading when keys evicted from main come back", () => {
    const ghosts = new GhostFeedback(1000);
    rejectAndReturn(ghosts, 0, LED_THRESHOLD);
    expect(ghosts.recencyLeads).toBe(true);
    ghosts.evicted(500);
    expect(ghosts.miss(500, true)).toBe(0);
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("keeps a hash in one list only: the latest departure wins", () => {
    const ghosts = new GhostFeedback(1000);
    rejectAndReturn(ghosts, 0, LED_THRESHOLD - 1);
    ghosts.evicted(9);
    ghosts.rejected(9);
    ghosts.miss(9, true); // a rejected-ghost hit, not an evicted one
    expect(ghosts.recencyLeads).toBe(true);
  });

  it("holds at most `capacity` hashes per list, the most recent", () => {
    for (const capacity of [LED_THRESHOLD - 1, LED_THRESHOLD]) {
      const ghosts = new GhostFeedback(capacity);
      // Twice as many rejections as the list holds: only the last `capacity` are remembered.
      rejectAndReturn(ghosts, 0, 2 * LED_THRESHOLD);
      expect(ghosts.recencyLeads).toBe(capacity >= LED_THRESHOLD);
    }
  });
});

describe("GhostFeedback during a hit-rate-drop alarm", () => {
  it("lets ALARM_EVIDENCE returns lead while the alarm lasts, and no longer once it is over", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.alarm();
    rejectAndReturn(ghosts, 0, ALARM_EVIDENCE - 1);
    expect(ghosts.recencyLeads).toBe(false);
    rejectAndReturn(ghosts, 100, 1);
    expect(ghosts.recencyLeads).toBe(true);
    // The shadow's wins were not ahead: no charge, the lead was the alarm's alone.
    ghosts.calm();
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("charges the pressure when the shadow's wins are ahead, so the lead outlasts the alarm", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.alarm();
    for (let key = 0; key < ALARM_EVIDENCE; key++) ghosts.rejected(key);
    for (let key = 0; key < ALARM_EVIDENCE; key++) ghosts.miss(key, true, AHEAD);
    ghosts.calm();
    expect(ghosts.recencyLeads).toBe(true);
    // Evicted keys coming back wear the charged pressure down as usual.
    ghosts.evicted(500);
    ghosts.miss(500, true);
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("holds a lead during an alarm while LRU's wins lead beyond chance (lead hold)", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.alarm();
    for (let key = 0; key < ALARM_EVIDENCE; key++) ghosts.rejected(key);
    for (let key = 0; key < ALARM_EVIDENCE; key++) ghosts.miss(key, true, AHEAD);
    for (let key = 500; key < 520; key++) ghosts.evicted(key);
    // Evicted keys come back while the shadow LRU is clearly winning: the lead stands.
    for (let key = 500; key < 510; key++) expect(ghosts.miss(key, true, CLEARLY_AHEAD)).toBe(0);
    ghosts.calm();
    expect(ghosts.recencyLeads).toBe(true);
    // Outside an alarm the same returns wear it down as usual.
    for (let key = 510; key < 520; key++) ghosts.miss(key, true, CLEARLY_AHEAD);
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("does not hold a lead on wins merely even, nor create one it does not have", () => {
    const even = new GhostFeedback(1000);
    even.alarm();
    for (let key = 0; key < ALARM_EVIDENCE; key++) even.rejected(key);
    for (let key = 0; key < ALARM_EVIDENCE; key++) even.miss(key, true, AHEAD);
    even.evicted(500);
    even.miss(500, true, AHEAD);
    even.calm();
    expect(even.recencyLeads).toBe(false);

    const none = new GhostFeedback(1000);
    none.alarm();
    none.evicted(500);
    none.miss(500, true, CLEARLY_AHEAD);
    none.calm();
    expect(none.recencyLeads).toBe(false);
  });

  it("counts evicted keys coming back against the alarm's evidence", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.alarm();
    ghosts.evicted(500);
    ghosts.miss(500, true);
    rejectAndReturn(ghosts, 0, ALARM_EVIDENCE);
    expect(ghosts.recencyLeads).toBe(false);
    rejectAndReturn(ghosts, 100, 1);
    expect(ghosts.recencyLeads).toBe(true);
  });

  it("starts each alarm's evidence afresh", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.alarm();
    rejectAndReturn(ghosts, 0, ALARM_EVIDENCE - 1);
    ghosts.alarm();
    rejectAndReturn(ghosts, 100, ALARM_EVIDENCE - 1);
    expect(ghosts.recencyLeads).toBe(false);
  });

  it("ignores rejected keys beyond LRU's reach during an alarm too", () => {
    const ghosts = new GhostFeedback(1000);
    ghosts.alarm();
    for (let key = 0; key < 10; key++) ghosts.rejected(key);
    for (let key = 0; key < 10; key++) ghosts.miss(key, false, AHEAD);
    expect(ghosts.recencyLeads).toBe(false);
  });
});
