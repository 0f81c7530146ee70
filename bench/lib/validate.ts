/**
 * Checks that what a bench returned is a well-formed `BenchResult` before run-all stores it:
 * a bench written against an older contract (a markdown string) or a malformed result is
 * reported as a failed bench with the reason, never written to bench/results/ nor rendered.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join, normalize } from "node:path";
import type { AcceptanceRow, BenchResult, ResultChart, ResultTable } from "./result.ts";

/** Ids are also file paths under bench/results/: lower-case words separated by "/" or "-". */
const ID = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;

export class InvalidBenchResult extends Error {
  override name = "InvalidBenchResult";
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === "string");

function fail(where: string, what: string): never {
  throw new InvalidBenchResult(`${where}: ${what}`);
}

function checkTable(t: unknown, where: string): asserts t is ResultTable {
  if (!isRecord(t)) fail(where, "not an object");
  if (!isStringArray(t.columns) || t.columns.length === 0)
    fail(where, "columns must be a non-empty string array");
  if (!Array.isArray(t.rows)) fail(where, "rows must be an array");
  for (const [i, row] of t.rows.entries()) {
    if (!Array.isArray(row) || row.length !== t.columns.length)
      fail(`${where}.rows[${i}]`, `must have ${t.columns.length} cells`);
    for (const cell of row) {
      const ok = cell === null || typeof cell === "string" || typeof cell === "number";
      if (!ok) fail(`${where}.rows[${i}]`, "a cell must be a string, a number or null");
    }
  }
}

function checkAcceptance(a: unknown, where: string): asserts a is AcceptanceRow {
  if (!isRecord(a)) fail(where, "not an object");
  for (const key of ["check", "target", "measured", "baseline"] as const) {
    if (typeof a[key] !== "string" || a[key] === "")
      fail(where, `${key} must be a non-empty string`);
  }
  if (a.met !== null && typeof a.met !== "boolean") fail(where, "met must be true, false or null");
}

function checkChart(c: unknown, where: string): asserts c is ResultChart {
  if (!isRecord(c)) fail(where, "not an object");
  if (typeof c.id !== "string" || !ID.test(c.id)) fail(where, `chart id ${String(c.id)} invalid`);
  if (!Array.isArray(c.panels) || c.panels.length === 0) fail(where, "panels must be non-empty");
  for (const [i, p] of c.panels.entries()) {
    if (!isRecord(p) || !Array.isArray(p.series)) fail(`${where}.panels[${i}]`, "needs series");
    for (const s of p.series) {
      if (!isRecord(s) || !Array.isArray(s.points))
        fail(`${where}.panels[${i}]`, "a series needs points");
    }
  }
}

/**
 * Throws an `InvalidBenchResult` naming the first thing wrong. `rootDir` is the repository:
 * every path in `measures` must lie inside it and exist (a fresh clone must have it).
 */
export function assertBenchResult(value: unknown, rootDir: string): asserts value is BenchResult {
  if (typeof value === "string")
    fail("result", "does not return a BenchResult (it returned a markdown string)");
  if (!isRecord(value)) fail("result", "does not return a BenchResult (not an object)");
  const id = typeof value.id === "string" ? value.id : "";
  if (!ID.test(id)) fail("result.id", `"${id}" is not lower-case words separated by / or -`);
  const where = `result ${id}`;
  for (const key of ["title", "command"] as const) {
    if (typeof value[key] !== "string" || value[key] === "")
      fail(where, `${key} must be a non-empty string`);
  }
  if (!isStringArray(value.measures) || value.measures.length === 0)
    fail(where, "measures must list the files the figures depend on");
  for (const path of value.measures) {
    const inside = !isAbsolute(path) && !normalize(path).startsWith("..");
    if (!inside) fail(where, `measures path ${path} lies outside the repository`);
    if (!existsSync(join(rootDir, path))) fail(where, `measures path ${path} does not exist`);
  }
  if (value.intro !== undefined && !isStringArray(value.intro)) fail(where, "intro: strings");
  if (value.notes !== undefined && !isStringArray(value.notes)) fail(where, "notes: strings");
  if (!Array.isArray(value.tables)) fail(where, "tables must be an array");
  for (const [i, t] of value.tables.entries()) checkTable(t, `${where}.tables[${i}]`);
  if (!Array.isArray(value.acceptance)) fail(where, "acceptance must be an array");
  for (const [i, a] of value.acceptance.entries()) checkAcceptance(a, `${where}.acceptance[${i}]`);
  if (value.charts !== undefined) {
    if (!Array.isArray(value.charts)) fail(where, "charts must be an array");
    for (const [i, c] of value.charts.entries()) checkChart(c, `${where}.charts[${i}]`);
  }
}

/** A bench's `run()` may return one result or several. */
export function toResults(value: unknown, rootDir: string): BenchResult[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) fail("result", "run() returned an empty array");
  for (const item of list) assertBenchResult(item, rootDir);
  return list as BenchResult[];
}
