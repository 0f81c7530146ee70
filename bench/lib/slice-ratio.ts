/**
 * CPU per request of `ours` ÷ `base`, slice by slice: both ran in the same slice, one after
 * the other with a GC between, so a burst of load from other processes on this shared
 * machine lands on both sides of one ratio instead of on whichever cell it hit. The median
 * of those ratios is the judged figure, reported with the interquartile range and the
 * extremes, so a reader sees how much the verdict could move with noise.
 */
export interface SliceRatio {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  slices: number;
}

export function sliceRatio(ours: readonly number[], base: readonly number[]): SliceRatio {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(ours.length, base.length); i++) {
    const r = (ours[i] as number) / (base[i] as number);
    if (Number.isFinite(r)) ratios.push(r);
  }
  ratios.sort((a, b) => a - b);
  const at = (q: number) => {
    if (ratios.length === 0) return Number.NaN;
    const x = q * (ratios.length - 1);
    const lo = Math.floor(x);
    const hi = Math.ceil(x);
    return (ratios[lo] as number) + ((ratios[hi] as number) - (ratios[lo] as number)) * (x - lo);
  };
  return {
    median: at(0.5),
    p25: at(0.25),
    p75: at(0.75),
    min: ratios[0] ?? Number.NaN,
    max: ratios.at(-1) ?? Number.NaN,
    slices: ratios.length,
  };
}
