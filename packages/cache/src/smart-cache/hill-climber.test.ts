import { describe, expect, it } from "vitest";
import { HillClimber } from "./hill-climber.js";

describe("HillClimber", () => {
  it("starts by shrinking the window and keeps going while the hit rate improves", () => {
    const climber = new HillClimber();
    expect(climber.adjust(50, 50)).toBeCloseTo(-0.0625);
    expect(climber.adjust(60, 40)).toBeCloseTo(-0.0625);
  });

  it("turns around when the hit rate drops, and decays the step when the change is small", () => {
    const climber = new HillClimber();
    climber.adjust(50, 50);
    const back = climber.adjust(40, 60);
    expect(back).toBeCloseTo(0.0625);
    const decayed = climber.adjust(41, 59);
    expect(decayed).toBeCloseTo(0.0625);
    expect(climber.adjust(41, 59)).toBeCloseTo(0.0625 * 0.98);
  });

  it("makes no move on an empty sample", () => {
    expect(new HillClimber().adjust(0, 0)).toBe(0);
  });
});
