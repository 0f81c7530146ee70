/** `normal` < `high` (start shrinking) < `critical` (shrink hard, then GC as a last resort). */
export type PressureLevel = "normal" | "high" | "critical";

const ORDER: Record<PressureLevel, number> = { normal: 0, high: 1, critical: 2 };

export function levelFor(
  ratio: number,
  highWatermark: number,
  criticalWatermark: number,
): PressureLevel {
  if (ratio >= criticalWatermark) return "critical";
  if (ratio >= highWatermark) return "high";
  return "normal";
}

export const isAtLeast = (level: PressureLevel, floor: PressureLevel) =>
  ORDER[level] >= ORDER[floor];
