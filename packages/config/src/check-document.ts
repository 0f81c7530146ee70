import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node as YamlNode,
} from "yaml";
import type { SyntaxProblem } from "./source-document.js";

/**
 * Structural checks the `yaml` parser does not do cheaply, in one walk of the
 * parsed document, linear in its size:
 *
 * - duplicate keys in a mapping. The parser's own `uniqueKeys` compares each
 *   key with every earlier key of its mapping — quadratic: a 40,000-key
 *   mapping took seconds on the event loop. One `Set` per mapping instead.
 * - nesting deeper than a limit: every later stage (interpolation, merge,
 *   validation) walks the data recursively.
 *
 * The walk uses its own stack, so a hostile depth cannot overflow the call stack.
 */

/** Nesting a config ever needs is a dozen levels; this leaves plenty of room for plugin settings. */
export const DEFAULT_MAX_DEPTH = 64;

export interface DocumentCheckStats {
  /** Keys looked up in a mapping's set of keys: one per key, so linear in the document. */
  keyLookups: number;
}

export interface DocumentCheckOptions {
  maxDepth?: number;
  /** Filled in when given: the work done, for tests that check it is linear. */
  stats?: DocumentCheckStats;
}

export function checkDocument(
  root: unknown,
  lineCounter: LineCounter,
  options: DocumentCheckOptions = {},
): SyntaxProblem[] {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const problems: SyntaxProblem[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  let tooDeep = false;
  const at = (node: unknown): { line: number; column: number } => {
    const range = (node as YamlNode | null | undefined)?.range;
    const pos = lineCounter.linePos(range ? range[0] : 0);
    return { line: pos.line, column: pos.col };
  };
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (isAlias(node) || !(isMap(node) || isSeq(node))) continue;
    if (depth >= maxDepth) {
      // One report is enough: every deeper level would say the same.
      if (!tooDeep) {
        problems.push({ message: `nesting is deeper than ${maxDepth} levels`, ...at(node) });
        tooDeep = true;
      }
      continue;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    const seen = new Map<string, number>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key;
      // YAML merge keys (`<<: *base`, a symbol once parsed) may repeat; the parser resolves them.
      if (isScalar(key) && typeof key.value === "symbol") {
        stack.push({ node: pair.value, depth: depth + 1 });
        continue;
      }
      if (isScalar(key)) {
        const name = String(key.value);
        if (options.stats) options.stats.keyLookups++;
        const first = seen.get(name);
        if (first !== undefined) {
          problems.push({
            message: `duplicate key "${name}" (first at line ${first})`,
            ...at(key),
          });
        } else if (first === undefined) {
          seen.set(name, at(key).line);
        }
      } else {
        stack.push({ node: key, depth: depth + 1 });
      }
      stack.push({ node: pair.value, depth: depth + 1 });
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
