import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from "yaml";
import { checkDocument, type DocumentCheckStats } from "./check-document.js";
import type { PathSegment } from "./merge.js";

/**
 * One config file parsed with `yaml` (JSON is YAML, so JSON files get line and
 * column positions too). Keeps the document so any key path, including one
 * reported by validation much later, maps back to `file:line:col`.
 */

export type ConfigFormat = "yaml" | "json";

export interface Position {
  line: number;
  column: number;
}

export interface SyntaxProblem extends Position {
  message: string;
}

export interface SourceDocument {
  readonly file: string | undefined;
  readonly format: ConfigFormat;
  /** The plain data (before `${…}` interpolation); `{}` for an empty file. */
  readonly data: unknown;
  readonly syntaxProblems: SyntaxProblem[];
  /** Nothing but whitespace: an in-place save can be caught between truncate and write. */
  readonly blank: boolean;
  /** Line/column of the value at `path`, or of its nearest present ancestor. */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): Position | undefined;
}

export function formatFromFileName(file: string): ConfigFormat {
  return /\.json5?$/i.test(file) ? "json" : "yaml";
}

/**
 * Aliases a document may expand (YAML's "billion laughs"): `yaml` counts how
 * many nodes each alias resolution copies and throws past this bound.
 */
export const MAX_ALIAS_COUNT = 1000;

export interface ParseOptions {
  file?: string | undefined;
  format?: ConfigFormat | undefined;
  /** Deepest nesting of mappings and lists accepted. Default 64. */
  maxDepth?: number | undefined;
  /** Filled in when given: the work of the structural checks (for tests). */
  stats?: DocumentCheckStats | undefined;
}

export function parseSourceDocument(text: string, options: ParseOptions = {}): SourceDocument {
  const format = options.format ?? (options.file ? formatFromFileName(options.file) : "yaml");
  const lineCounter = new LineCounter();
  const syntaxProblems: SyntaxProblem[] = [];
  let doc: Document.Parsed | undefined;
  let data: unknown = {};
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      // The parser's duplicate-key check is quadratic in a mapping's size;
      // checkDocument below finds duplicates in linear time.
      uniqueKeys: false,
      // Merge keys (`<<: *base`) are handy for sharing client blocks.
      merge: true,
      // Problems are reported as config issues; the library must not print to the process.
      logLevel: "silent",
    });
    for (const error of doc.errors) {
      const pos = lineCounter.linePos(error.pos[0]);
      syntaxProblems.push({ message: firstLine(error.message), line: pos.line, column: pos.col });
    }
    if (syntaxProblems.length === 0) {
      syntaxProblems.push(
        ...checkDocument(doc.contents, lineCounter, {
          ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
          ...(options.stats === undefined ? {} : { stats: options.stats }),
        }),
      );
    }
    if (syntaxProblems.length === 0) {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
    }
  } catch (error) {
    // toJS throws on alias bombs, the parser may overflow the stack on
    // extreme nesting: report, do not crash.
    syntaxProblems.push({
      message:
        error instanceof RangeError
          ? "the document is nested too deeply to read"
          : error instanceof Error
            ? firstLine(error.message)
            : "unreadable document",
      line: 1,
      column: 1,
    });
  }
  if (
    syntaxProblems.length === 0 &&
    (data === null || typeof data !== "object" || Array.isArray(data))
  ) {
    const pos = doc?.contents?.range
      ? lineCounter.linePos(doc.contents.range[0])
      : { line: 1, col: 1 };
    syntaxProblems.push({
      message: `the top level must be a mapping of sections, not ${Array.isArray(data) ? "a list" : typeof data}`,
      line: pos.line,
      column: pos.col,
    });
    data = {};
  }
  const locate = (
    path: readonly PathSegment[],
    opts: { key?: boolean } = {},
  ): Position | undefined => {
    if (!doc) return undefined;
    const offset = locateOffset(doc, path, opts.key === true);
    if (offset === undefined) return undefined;
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return { file: options.file, format, data, syntaxProblems, blank: text.trim() === "", locate };
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}

function locateOffset(
  doc: Document.Parsed,
  path: readonly PathSegment[],
  wantKey: boolean,
): number | undefined {
  let node: unknown = doc.contents;
  let best = startOf(node);
  // A key that is absent (a required field left out) is blamed on the key of
  // the mapping that should hold it: `fast:` rather than its first child.
  let holderKey: number | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as PathSegment;
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return holderKey ?? best;
      const last = i === path.length - 1;
      if (last && wantKey) return startOf(pair.key) ?? best;
      holderKey = startOf(pair.key);
      node = pair.value ?? pair.key;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) return best;
      holderKey = startOf(item);
      node = item;
    } else {
      return best;
    }
    best = startOf(node) ?? best;
  }
  return best;
}

function startOf(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return range ? range[0] : undefined;
}
