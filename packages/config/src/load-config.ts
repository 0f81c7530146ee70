import { readFile } from "node:fs/promises";
import { ConfigError, type ConfigIssue } from "@llm/core";
import { collectEnvOverrides, DEFAULT_ENV_PREFIX } from "./env-overrides.js";
import { type Env, type InterpolationProblem, interpolateTree } from "./interpolate.js";
import { type LayerTrace, locateIssue, zodIssuesToConfigIssues } from "./issues.js";
import {
  type DeepPartial,
  deepFreeze,
  deepMerge,
  formatPath,
  isPlainObject,
  setPath,
} from "./merge.js";
import type { LLMConfigInput } from "./schema.js";
import { type AnyConfigSection, type ConfigWith, extendSchema } from "./sections.js";
import { type ConfigFormat, parseSourceDocument, type SourceDocument } from "./source-document.js";

/**
 * Layers, lowest first: schema defaults < files (in order) < environment
 * overrides < values given in code. Everything is merged first and validated
 * once, so one `ConfigError` lists every problem of every layer.
 */

export interface ConfigSourceText {
  text: string;
  /** Shown in issues; also picks the format when `format` is omitted. */
  file?: string;
  format?: ConfigFormat;
}

export interface BuildOptions<S extends readonly AnyConfigSection[] = readonly []> {
  /** For `${VAR}` references and `LLM__…` overrides; defaults to `process.env`. */
  env?: Env;
  /** Prefix of override variables; `false` turns environment overrides off. Default `"LLM__"`. */
  envPrefix?: string | false;
  /** Values given in code: the highest layer. */
  overrides?: DeepPartial<LLMConfigInput> & Record<string, unknown>;
  /** Sections contributed by packages and plugins. */
  sections?: S;
}

export interface LoadConfigOptions<S extends readonly AnyConfigSection[] = readonly []>
  extends BuildOptions<S> {
  /** YAML or JSON files, later ones win. */
  files?: readonly string[];
  /** In-memory sources, layered after `files`. */
  sources?: readonly ConfigSourceText[];
}

export type LoadedConfig<S extends readonly AnyConfigSection[]> = Readonly<ConfigWith<S>>;

/** Reads, interpolates, merges and validates; never watches. Throws `ConfigError`. */
export async function loadConfig<const S extends readonly AnyConfigSection[] = readonly []>(
  options: LoadConfigOptions<S> = {},
): Promise<LoadedConfig<S>> {
  const { documents, issues } = await readDocuments(options.files ?? []);
  for (const source of options.sources ?? []) {
    documents.push(parseSourceDocument(source.text, { file: source.file, format: source.format }));
  }
  return buildConfig(documents, options, issues);
}

/** Parses and validates one config text (defaults < this text < `overrides`); for tests and fuzzing. */
export function parseConfigText<const S extends readonly AnyConfigSection[] = readonly []>(
  text: string,
  options: BuildOptions<S> & { file?: string; format?: ConfigFormat } = {},
): LoadedConfig<S> {
  const doc = parseSourceDocument(text, { file: options.file, format: options.format });
  return buildConfig([doc], { envPrefix: false, ...options });
}

export async function readDocuments(
  files: readonly string[],
): Promise<{ documents: SourceDocument[]; issues: ConfigIssue[] }> {
  const documents: SourceDocument[] = [];
  const issues: ConfigIssue[] = [];
  for (const file of files) {
    try {
      documents.push(parseSourceDocument(await readFile(file, "utf8"), { file }));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      issues.push({
        path: "",
        file,
        message:
          code === "ENOENT" ? "file not found" : `cannot read file (${code ?? String(error)})`,
      });
    }
  }
  return { documents, issues };
}

/** The synchronous core shared by `loadConfig`, `parseConfigText` and `ConfigManager`. */
export function buildConfig<const S extends readonly AnyConfigSection[] = readonly []>(
  documents: readonly SourceDocument[],
  options: BuildOptions<S> = {},
  earlierIssues: readonly ConfigIssue[] = [],
): LoadedConfig<S> {
  const env = options.env ?? process.env;
  const schema = extendSchema(...((options.sections ?? []) as S));
  const issues: ConfigIssue[] = [...earlierIssues];
  const trace: LayerTrace = { files: [], env: [], code: options.overrides ?? {} };
  const interpolationPaths: string[] = [];

  let merged: unknown = {};
  let unreadable = earlierIssues.length > 0;
  for (const doc of documents) {
    if (doc.syntaxProblems.length > 0) unreadable = true;
    for (const problem of doc.syntaxProblems) {
      issues.push({
        path: "",
        message: problem.message,
        ...(doc.file !== undefined ? { file: doc.file } : {}),
        line: problem.line,
        column: problem.column,
      });
    }
    const problems: InterpolationProblem[] = [];
    const data = interpolateTree(doc.data, env, problems);
    trace.files.push({ doc, data: doc.data });
    for (const problem of problems) {
      interpolationPaths.push(formatPath(problem.path));
      issues.push(locateIssue(trace, problem.path, problem.message));
    }
    merged = deepMerge(merged, data);
  }
  // A file that does not parse yields no data; validating the rest would
  // report "required" noise for keys that are really in the broken file.
  if (unreadable) throw configError(issues);

  const root = (isPlainObject(merged) ? merged : {}) as Record<string, unknown>;
  if (options.envPrefix !== false) {
    trace.env = collectEnvOverrides(env, schema, options.envPrefix ?? DEFAULT_ENV_PREFIX);
    for (const override of trace.env) setPath(root, override.path, override.value);
  }
  const input = deepMerge(root, options.overrides);

  const result = schema.safeParse(input);
  if (!result.success) {
    const covered = (path: string) =>
      interpolationPaths.some((p) => path === p || path.startsWith(`${p}.`));
    for (const issue of zodIssuesToConfigIssues(trace, result.error.issues)) {
      if (!covered(issue.path)) issues.push(issue);
    }
  }
  if (issues.length > 0 || !result.success) throw configError(issues);
  return deepFreeze(result.data) as LoadedConfig<S>;
}

function configError(issues: ConfigIssue[]): ConfigError {
  const count = issues.length;
  return new ConfigError(`Invalid configuration: ${count} problem${count === 1 ? "" : "s"}`, {
    issues,
  });
}
