import { describe, expect, it } from "vitest";
import { AlarmWins, CLEAR_Z, NO_VERDICT } from "./alarm-wins.js";

function wins(recency: number, frequency: number): AlarmWins {
  const counted = new AlarmWins();
  for (let i = 0; i < recency; i++) counted.recencyWin();
  for (let i = 0; i < frequency; i++) counted.frequencyWin();
  return counted;
}

describe("AlarmWins", () => {
  it("calls recency ahead on even wins, clearly ahead only beyond chance", () => {
    expect(wins(0, 0).recencyAhead).toBe(true);
    expect(wins(0, 0).recencyClearlyAhead).toBe(false);
    expect(wins(10, 11).recencyAhead).toBe(false);
    // 30 vs 20: a lead of 10 against CLEAR_Z × √50 ≈ 14.1 — within chance.
    expect(wins(30, 20).recencyAhead).toBe(true);
    expect(wins(30, 20).recencyClearlyAhead).toBe(false);
    // 40 vs 10: a lead of 30 against 2 × √50: beyond chance.
    expect(CLEAR_Z).toBe(2);
    expect(wins(40, 10).recencyClearlyAhead).toBe(true);
  });

  it("starts afresh on reset", () => {
    const counted = wins(40, 0);
    counted.reset();
    expect(counted.recencyClearlyAhead).toBe(false);
    counted.frequencyWin();
    expect(counted.recencyAhead).toBe(false);
  });

  it("NO_VERDICT is neither", () => {
    expect(NO_VERDICT).toEqual({ recencyAhead: false, recencyClearlyAhead: false });
  });
});
