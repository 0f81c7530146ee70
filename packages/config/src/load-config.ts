import { ConfigError, type ConfigIssue, redactSecrets } from "@llm/core";
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
import {
  DEFAULT_MAX_FILE_BYTES,
  type FileSnapshot,
  readConfigFile,
  tooLargeMessage,
} from "./read-config-file.js";
import type { LLMConfig, LLMConfigInput } from "./schema.js";
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

/** Bounds on config input: every file, and every in-memory source, is checked against them. */
export interface InputLimits {
  /**
   * Largest config file (or in-memory source) accepted, in bytes. Default
   * 1 MiB (`DEFAULT_MAX_FILE_BYTES`); a bigger one is a `ConfigError` naming
   * the file, its size and this limit, and is not read past the limit.
   */
  maxFileBytes?: number;
  /** Deepest nesting of mappings and lists accepted. Default 64. */
  maxDepth?: number;
}

/**
 * A check the schema cannot express, run on a config that passed the schema:
 * its issues (`path` as `clients.aws.providerSettings.region`) are located in
 * the files like schema issues, and make the load — or a hot reload — fail
 * the same way. `@llm/di` checks each client's `providerSettings` against its
 * provider's schema with one.
 */
export type ConfigCheck = (config: Readonly<LLMConfig>) => readonly ConfigIssue[];

/**
 * A check a `ConfigManager` runs on every reload (`addCheck`) before the new
 * config is accepted: a `ConfigCheck`, or one that needs I/O first and
 * answers with a promise (`@llm/di` imports the provider package of a client
 * type the running config does not use yet, then checks its settings). The
 * reload waits for it, bounded by `checkTimeoutMs`; `signal` aborts when that
 * bound passes or the manager closes, so the check can stop its work.
 */
export type ReloadCheck = (
  config: Readonly<LLMConfig>,
  context: ReloadCheckContext,
) => readonly ConfigIssue[] | PromiseLike<readonly ConfigIssue[]>;

export interface ReloadCheckContext {
  /** Aborted when the reload stops waiting for the check. */
  readonly signal: AbortSignal;
}

export interface BuildOptions<S extends readonly AnyConfigSection[] = readonly []>
  extends InputLimits {
  /** For `${VAR}` references and `LLM__…` overrides; defaults to `process.env`. */
  env?: Env;
  /** Prefix of override variables; `false` turns environment overrides off. Default `"LLM__"`. */
  envPrefix?: string | false;
  /** Values given in code: the highest layer. */
  overrides?: DeepPartial<LLMConfigInput> & Record<string, unknown>;
  /** Sections contributed by packages and plugins. */
  sections?: S;
  /** Checks run after the schema (see `ConfigCheck`). */
  checks?: readonly ConfigCheck[];
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
  const { documents, issues } = await readDocuments(options.files ?? [], options);
  for (const source of options.sources ?? []) {
    const problem = oversizedText(source.text, options, source.file);
    if (problem) issues.push(problem);
    else documents.push(parseText(source.text, options, source));
  }
  return buildConfig(documents, options, issues);
}

/** Parses and validates one config text (defaults < this text < `overrides`); for tests and fuzzing. */
export function parseConfigText<const S extends readonly AnyConfigSection[] = readonly []>(
  text: string,
  options: BuildOptions<S> & { file?: string; format?: ConfigFormat } = {},
): LoadedConfig<S> {
  const problem = oversizedText(text, options, options.file);
  if (problem) throw configError([problem]);
  const doc = parseText(text, options, options);
  return buildConfig([doc], { envPrefix: false, ...options });
}

function parseText(
  text: string,
  limits: InputLimits,
  source: { file?: string | undefined; format?: ConfigFormat | undefined },
): SourceDocument {
  return parseSourceDocument(text, {
    file: source.file,
    format: source.format,
    maxDepth: limits.maxDepth,
  });
}

function oversizedText(
  text: string,
  limits: InputLimits,
  file: string | undefined,
): ConfigIssue | undefined {
  const limit = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  // UTF-8 is at most 3 bytes per UTF-16 unit: skip counting when it cannot be over.
  if (text.length * 3 <= limit) return undefined;
  const size = Buffer.byteLength(text, "utf8");
  if (size <= limit) return undefined;
  return {
    path: "",
    ...(file === undefined ? {} : { file }),
    message: `config text ${tooLargeMessage(size, limit)}`,
  };
}

export async function readDocuments(
  files: readonly string[],
  limits: InputLimits = {},
): Promise<{ documents: SourceDocument[]; issues: ConfigIssue[] }> {
  return documentsFromSnapshots(await readSnapshots(files, limits), limits);
}

/** Every file read with the size bound, in order (for `ConfigManager`'s settle check). */
export function readSnapshots(
  files: readonly string[],
  limits: InputLimits = {},
): Promise<FileSnapshot[]> {
  const limit = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  return Promise.all(files.map((file) => readConfigFile(file, limit)));
}

export function documentsFromSnapshots(
  snapshots: readonly FileSnapshot[],
  limits: InputLimits = {},
): { documents: SourceDocument[]; issues: ConfigIssue[] } {
  const documents: SourceDocument[] = [];
  const issues: ConfigIssue[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.issue) issues.push(snapshot.issue);
    else documents.push(parseText(snapshot.text ?? "", limits, { file: snapshot.file }));
  }
  return { documents, issues };
}

/** The synchronous core shared by `loadConfig`, `parseConfigText` and `ConfigManager`. */
export function buildConfig<const S extends readonly AnyConfigSection[] = readonly []>(
  documents: readonly SourceDocument[],
  options: BuildOptions<S> = {},
  earlierIssues: readonly ConfigIssue[] = [],
): LoadedConfig<S> {
  return buildLocatedConfig(documents, options, earlierIssues).config;
}

/** A built config and how to place a later check's issue in the layers it came from. */
export interface LocatedConfig<C> {
  config: C;
  /** The issue with the file, line and column (or env variable, or "set in code") of its path. */
  locate(issue: ConfigIssue): ConfigIssue;
}

/** `buildConfig`, keeping the layer trace for checks that run after it (`ConfigManager`'s reload checks). */
export function buildLocatedConfig<const S extends readonly AnyConfigSection[] = readonly []>(
  documents: readonly SourceDocument[],
  options: BuildOptions<S> = {},
  earlierIssues: readonly ConfigIssue[] = [],
): LocatedConfig<LoadedConfig<S>> {
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
        message: redactSecrets(problem.message),
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
  const locate = (issue: ConfigIssue) => locateIssue(trace, issue.path.split("."), issue.message);
  for (const check of options.checks ?? []) {
    for (const issue of check(result.data as LLMConfig)) issues.push(locate(issue));
  }
  if (issues.length > 0) throw configError(issues);
  return { config: deepFreeze(result.data) as LoadedConfig<S>, locate };
}

export function configError(issues: ConfigIssue[]): ConfigError {
  const count = issues.length;
  return new ConfigError(`Invalid configuration: ${count} problem${count === 1 ? "" : "s"}`, {
    issues,
  });
}
