import fc from "fast-check";
import { wireText } from "./chunks.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value (the root included), for picking a place to damage. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]));
  } else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function replaceAt(value: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === undefined) copy.splice(Number(head), 1);
    else copy[Number(head)] = replaceAt(value[Number(head)] ?? null, rest, replacement);
    return copy;
  }
  if (value && typeof value === "object") {
    const copy = { ...value };
    if (rest.length === 0 && replacement === undefined) delete copy[String(head)];
    else copy[String(head)] = replaceAt(value[String(head)] ?? null, rest, replacement);
    return copy;
  }
  return value;
}

/** A JSON document with one place replaced (by anything, or a value of another type) or removed. */
export function mutatedJson(base: unknown): fc.Arbitrary<unknown> {
  const all = paths(base as Json);
  return fc
    .tuple(
      fc.nat({ max: all.length - 1 }),
      fc.oneof(
        fc.constant(undefined),
        fc.constantFrom<Json>(null, "", 0, -1, 1e308, true, [], {}, "\u0000"),
        fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      ),
    )
    .map(([index, replacement]) => replaceAt(base as Json, all[index] ?? [], replacement));
}

/** Byte-level damage of a text: cut short, a slice removed, garbage inserted, a slice repeated. */
export function mutatedText(text: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: Math.max(0, text.length) });
  return fc.oneof(
    at.map((p) => text.slice(0, p)),
    fc.tuple(at, fc.nat({ max: 64 })).map(([p, n]) => text.slice(0, p) + text.slice(p + n)),
    fc.tuple(at, wireText).map(([p, junk]) => text.slice(0, p) + junk + text.slice(p)),
    fc.tuple(at, fc.nat({ max: 64 })).map(([p, n]) => text.slice(0, p + n) + text.slice(p)),
  );
}
