import { dirname, join, resolve } from "node:path";
import { ConfigError, type ConfigIssue, settleWithin } from "@llm/core";
import { type FSWatcher, watch } from "chokidar";
import type { z } from "zod";
import { type ConfigChange, diffConfig } from "./diff.js";
import {
  type BuildOptions,
  buildConfig,
  buildLocatedConfig,
  configError,
  documentsFromSnapshots,
  type ReloadCheck,
  readDocuments,
  readSnapshots,
} from "./load-config.js";
import { type FileSnapshot, sameSnapshot } from "./read-config-file.js";
import type { LLMConfig } from "./schema.js";
import type { AnyConfigSection, ConfigSection, ConfigWith } from "./sections.js";
import type { SourceDocument } from "./source-document.js";

/**
 * Holds the current config as one frozen object and swaps it whole on reload,
 * so a reader sees either the old config or the new one, never a mix. A bad
 * edit (syntax, validation, deleted file) keeps the last good config and goes
 * to `onError` listeners; nothing is thrown into the process.
 */

export interface ConfigManagerOptions<S extends readonly AnyConfigSection[] = readonly []>
  extends BuildOptions<S> {
  /** YAML or JSON files, later ones win. */
  files?: readonly string[];
  /** Watch the files and reload on change. Default false. */
  watch?: boolean;
  /** Quiet time after the last file event before reloading. Default 100 ms. */
  debounceMs?: number;
  /**
   * A reload applies only content that is stable: the files are read, read
   * again `settleMs` later, and used only when both reads agree (same bytes,
   * size, modification time and inode). A file still being written — whose
   * first half may well parse, minus a client or its key — is waited for,
   * not applied. Default 200 ms. Writing a temp file and renaming it over
   * the config stays the safe way to save: the rename is atomic.
   */
  settleMs?: number;
  /**
   * Longest a reload waits for its checks (`addCheck`), in ms: one that has
   * not answered by then — a provider package whose import hangs — rejects
   * the reload, and the next reload is free to run. Default 30 s; 0 (or
   * `Infinity`) waits as long as the checks take.
   */
  checkTimeoutMs?: number;
}

/** Reads that may disagree before a reload gives up on a file that keeps changing. */
const MAX_SETTLE_ROUNDS = 20;

const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

export interface ConfigChangeEvent<C> {
  config: Readonly<C>;
  previous: Readonly<C>;
  /** Changed paths; secrets read `"[REDACTED]"`. */
  changes: ConfigChange[];
}

export type ConfigChangeListener<C> = (event: ConfigChangeEvent<C>) => void;
export type ConfigErrorListener = (error: ConfigError) => void;

export class ConfigManager<C extends object = LLMConfig> {
  #config: Readonly<C>;
  readonly #files: string[];
  readonly #options: BuildOptions<readonly AnyConfigSection[]>;
  readonly #debounceMs: number;
  readonly #settleMs: number;
  readonly #checkTimeoutMs: number;
  readonly #changeListeners = new Set<ConfigChangeListener<C>>();
  readonly #errorListeners = new Set<ConfigErrorListener>();
  readonly #checks = new Set<ReloadCheck>();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Aborts the checks of the reload in progress (on close). */
  #checking: AbortController | undefined;
  /** Files that had content at the last good load (see the blank-file guard in reload). */
  #filled = new Set<string>();

  private constructor(
    config: Readonly<C>,
    files: string[],
    options: BuildOptions<readonly AnyConfigSection[]>,
    timing: { debounceMs: number; settleMs: number; checkTimeoutMs: number },
  ) {
    this.#config = config;
    this.#files = files;
    this.#options = options;
    this.#debounceMs = timing.debounceMs;
    this.#settleMs = timing.settleMs;
    this.#checkTimeoutMs = timing.checkTimeoutMs;
  }

  /** Loads (throwing `ConfigError` when the first load is invalid) and optionally starts watching. */
  static async load<const S extends readonly AnyConfigSection[] = readonly []>(
    options: ConfigManagerOptions<S> = {},
  ): Promise<ConfigManager<ConfigWith<S>>> {
    const files = (options.files ?? []).map((file) => resolve(file));
    const build: BuildOptions<readonly AnyConfigSection[]> = {
      ...options,
      env: options.env ?? process.env,
    };
    const { documents, issues } = await readDocuments(files, build);
    const config = buildConfig(documents, build, issues) as Readonly<ConfigWith<S>>;
    const manager = new ConfigManager<ConfigWith<S>>(config, files, build, {
      debounceMs: options.debounceMs ?? 100,
      settleMs: options.settleMs ?? 200,
      checkTimeoutMs: options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    });
    manager.#filled = filledFiles(documents);
    if (options.watch && files.length > 0) await manager.#startWatching();
    return manager;
  }

  /** The current config: one immutable object; keep the reference for a whole request. */
  get(): Readonly<C> {
    return this.#config;
  }

  /** A contributed section of the current config. */
  section<N extends string, S extends z.ZodType>(section: ConfigSection<N, S>): z.output<S> {
    return (this.#config as Record<string, unknown>)[section.name] as z.output<S>;
  }

  /** Called after each applied reload that changed something; returns a disposer. */
  onChange(listener: ConfigChangeListener<C>): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /**
   * Adds a check that every later reload must pass before its config is
   * accepted (see `ReloadCheck`): a reload it reports issues for is rejected
   * like an invalid file, and so is one whose check throws or has not
   * answered within `checkTimeoutMs`. Reloads stay one at a time while a
   * check works, so a slow check never lets an older edit land after a newer
   * one. The current config is not re-checked. Returns a disposer.
   */
  addCheck(check: ReloadCheck): () => void {
    this.#checks.add(check);
    return () => this.#checks.delete(check);
  }

  /** Called with every rejected reload (the last good config stays); returns a disposer. */
  onError(listener: ConfigErrorListener): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /**
   * Re-reads the files now (once their content is stable, see `settleMs`).
   * Resolves `true` when they validated (the current config reflects them),
   * `false` when they were rejected (errors went to `onError`) or the manager
   * is closed. Never rejects. Reloads run one at a time.
   */
  reload(): Promise<boolean> {
    const run = this.#chain.then(() => this.#reloadNow());
    this.#chain = run;
    return run;
  }

  /** Stops watching and pending reloads; `get()` keeps returning the last config. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#checking?.abort();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const watcher = this.#watcher;
    this.#watcher = undefined;
    await watcher?.close();
    await this.#chain;
  }

  async #reloadNow(): Promise<boolean> {
    if (this.#closed) return false;
    let next: Readonly<C>;
    try {
      const snapshots = await this.#readSettled();
      if (snapshots === undefined) return false;
      const { documents, issues } = documentsFromSnapshots(snapshots, this.#options);
      // An editor saving in place truncates first: a file that had content and
      // now reads empty is most likely mid-write. Applying it would drop every
      // setting for a moment, so it is rejected; the write's own event follows.
      for (const doc of documents) {
        if (doc.blank && doc.file !== undefined && this.#filled.has(doc.file)) {
          issues.push({
            path: "",
            file: doc.file,
            message: "file is empty (a write in progress?); keeping the last good config",
          });
        }
      }
      const built = buildLocatedConfig(documents, { ...this.#options, checks: [] }, issues);
      const checks = [...(this.#options.checks ?? []), ...this.#checks];
      const problems = await this.#runChecks(built.config, checks);
      if (this.#closed) return false;
      if (problems.length > 0) throw configError(problems.map(built.locate));
      next = built.config as unknown as Readonly<C>;
      this.#filled = filledFiles(documents);
    } catch (error) {
      if (this.#closed) return false;
      this.#reportError(
        error instanceof ConfigError
          ? error
          : new ConfigError("Config reload failed; keeping the last good config", { cause: error }),
      );
      return false;
    }
    if (this.#closed) return false;
    const previous = this.#config;
    const changes = diffConfig(previous, next);
    if (changes.length === 0) return true;
    this.#config = next;
    const event: ConfigChangeEvent<C> = { config: next, previous, changes };
    for (const listener of [...this.#changeListeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#reportError(new ConfigError("A config change listener threw", { cause: error }));
      }
    }
    return true;
  }

  /**
   * Every check's issues for `config`, all checks run together. Throws a
   * `ConfigError` when they have not all answered within `checkTimeoutMs`
   * (their signal is aborted then, and on close).
   */
  async #runChecks(
    config: Readonly<LLMConfig>,
    checks: readonly ReloadCheck[],
  ): Promise<ConfigIssue[]> {
    if (checks.length === 0) return [];
    const controller = new AbortController();
    this.#checking = controller;
    const { signal } = controller;
    const limit = this.#checkTimeoutMs;
    try {
      const answers = checks.map(async (check) => check(config, { signal }));
      const issues = await settleWithin(Promise.all(answers), {
        timeoutMs: limit,
        // Not unref'd (the default), like the settle wait: a script awaiting reload() must get its answer.
        onTimeout: () => {
          // The checks hear it through their signal, and stop their own work.
          controller.abort(checkTimeoutError(limit));
          throw signal.reason;
        },
        signal, // aborted by close() too
        onAbort: () => {
          throw signal.reason;
        },
      });
      return issues.flat();
    } finally {
      if (this.#checking === controller) this.#checking = undefined;
    }
  }

  /**
   * The files once two reads `settleMs` apart agree; `undefined` when the
   * manager closed meanwhile. Throws `ConfigError` when they never settle.
   */
  async #readSettled(): Promise<FileSnapshot[] | undefined> {
    let previous = await readSnapshots(this.#files, this.#options);
    if (this.#settleMs <= 0) return previous;
    let changing: string[] = [];
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      // Not unref'd: a script awaiting reload() must not exit halfway.
      await new Promise<void>((done) => setTimeout(done, this.#settleMs));
      if (this.#closed) return undefined;
      const current = await readSnapshots(this.#files, this.#options);
      changing = current
        .filter((snapshot, i) => !sameSnapshot(snapshot, previous[i] as FileSnapshot))
        .map((snapshot) => snapshot.file);
      if (changing.length === 0) return current;
      previous = current;
    }
    throw new ConfigError("Config files kept changing; keeping the last good config", {
      issues: changing.map((file) => ({
        path: "",
        file,
        message: `still changing after ${MAX_SETTLE_ROUNDS} reads ${this.#settleMs} ms apart (a write in progress?)`,
      })),
    });
  }

  #reportError(error: ConfigError): void {
    if (this.#errorListeners.size === 0) {
      process.emitWarning(error.message, { code: "LLM_CONFIG_RELOAD" });
      return;
    }
    for (const listener of [...this.#errorListeners]) {
      try {
        listener(error);
      } catch {
        // An error listener that throws must not take the watcher down.
      }
    }
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.reload();
    }, this.#debounceMs);
    this.#timer.unref?.();
  }

  async #startWatching(): Promise<void> {
    const files = new Set(this.#files);
    const directories = [...new Set(this.#files.map((file) => dirname(file)))];
    // Editors save by writing a temp file and renaming it over the original,
    // which replaces the inode: watching the directory sees that as unlink/add.
    const watcher = watch(directories, {
      ignoreInitial: true,
      atomic: true,
      depth: 0,
      ignored: (path: string) => !directories.includes(path) && !files.has(resolve(path)),
    });
    this.#watcher = watcher;
    const onEvent = (path: unknown) => {
      if (typeof path === "string" && files.has(resolve(path))) this.#schedule();
    };
    for (const event of ["add", "change", "unlink"] as const) watcher.on(event, onEvent);
    // chokidar drops a "change" that follows another within 50 ms (its own
    // throttle), so a quick fix right after a bad save would be missed. The
    // raw fs events are not throttled; the debounce above collapses them.
    watcher.on("raw", (_event, path, details) => {
      const base = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
      if (typeof base !== "string") return;
      onEvent(files.has(resolve(base)) ? base : join(base, path));
    });
    watcher.on("error", (error: unknown) => {
      this.#reportError(new ConfigError("Config file watcher failed", { cause: error }));
    });
    await new Promise<void>((done) => watcher.once("ready", () => done()));
  }
}

function checkTimeoutError(limitMs: number): ConfigError {
  return new ConfigError(
    `Config reload checks did not finish within ${limitMs} ms; keeping the last good config`,
    {
      issues: [
        {
          path: "",
          message: `a reload check did not answer within ${limitMs} ms (option checkTimeoutMs)`,
        },
      ],
    },
  );
}

function filledFiles(documents: readonly SourceDocument[]): Set<string> {
  const out = new Set<string>();
  for (const doc of documents) if (!doc.blank && doc.file !== undefined) out.add(doc.file);
  return out;
}
