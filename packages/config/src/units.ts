import { z } from "zod";

/**
 * Human units for config files: operators write `30s` and `64MB`, code reads
 * milliseconds and bytes. Plain numbers pass through (ms / bytes) so JSON and
 * code overrides need no unit strings.
 */

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

// Decimal prefixes are powers of 1000 and binary ones powers of 1024, as in
// Kubernetes quantities: `64MB` = 64_000_000, `64MiB` = 67_108_864.
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};

const DURATION_PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/gy;
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/;

/** `"1h30m"` → 5_400_000; `"250ms"` → 250; `"1500"` → 1500. Returns undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const input = text.trim().toLowerCase();
  if (input === "") return undefined;
  if (/^\d+(?:\.\d+)?$/.test(input)) return Math.round(Number(input));
  let total = 0;
  let index = 0;
  DURATION_PART.lastIndex = 0;
  while (index < input.length) {
    DURATION_PART.lastIndex = index;
    const match = DURATION_PART.exec(input);
    if (!match) return undefined;
    total += Number(match[1]) * (DURATION_UNITS[match[2] as string] as number);
    index = DURATION_PART.lastIndex;
    while (input[index] === " ") index++;
  }
  return Math.round(total);
}

/** `"64MB"` → 64_000_000; `"1GiB"` → 1_073_741_824; `"512"` → 512. Returns undefined when unreadable. */
export function parseSize(text: string): number | undefined {
  const match = SIZE_PATTERN.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const factor = match[2] === "" ? 1 : SIZE_UNITS[match[2] as string];
  if (factor === undefined) return undefined;
  return Math.round(Number(match[1]) * factor);
}

/** 90_000 → `"1m30s"`, for messages and docs. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1_000],
    ["ms", 1],
  ] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  return parts.join("");
}

/** 67_108_864 → `"64MiB"`, for messages and docs. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes}B`;
}

function unitPreprocessor(kind: "duration" | "size", parse: (text: string) => number | undefined) {
  return (value: unknown, ctx: z.RefinementCtx): unknown => {
    if (typeof value !== "string") return value;
    const parsed = parse(value);
    if (parsed === undefined) {
      const hint =
        kind === "duration"
          ? 'a duration such as "250ms", "30s", "5m", "1h" or a number of milliseconds'
          : 'a size such as "512KB", "64MB", "1GiB" or a number of bytes';
      ctx.addIssue({ code: "custom", message: `expected ${hint}` });
      return z.NEVER;
    }
    return parsed;
  };
}

/** A duration in milliseconds; accepts `"250ms"`, `"30s"`, `"5m"`, `"1h"`, `"1h30m"` or a number. */
export function duration(): z.ZodType<number, number | string> {
  return z.preprocess(
    unitPreprocessor("duration", parseDuration),
    z.number().int().nonnegative().finite(),
  ) as unknown as z.ZodType<number, number | string>;
}

/** A size in bytes; accepts `"512KB"`, `"64MB"`, `"1GiB"` or a number. */
export function size(): z.ZodType<number, number | string> {
  return z.preprocess(
    unitPreprocessor("size", parseSize),
    z.number().int().nonnegative().finite(),
  ) as unknown as z.ZodType<number, number | string>;
}

/** Numbers that may arrive as strings (from `${VAR}` references or env overrides). */
export function numeric(schema: z.ZodNumber = z.number()): z.ZodType<number, number | string> {
  return z.preprocess(
    (value) =>
      typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
        ? Number(value)
        : value,
    schema,
  ) as unknown as z.ZodType<number, number | string>;
}

/** Booleans that may arrive as `"true"` / `"false"` strings. */
export function boolish(): z.ZodType<boolean, boolean | string> {
  return z.preprocess((value) => {
    if (typeof value !== "string") return value;
    const lower = value.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    return value;
  }, z.boolean()) as unknown as z.ZodType<boolean, boolean | string>;
}
