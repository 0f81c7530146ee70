import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigError } from "@llm/core";
import Database from "better-sqlite3";
import { SCHEMA, SCHEMA_VERSION } from "./schema.js";

/** Owner read/write only: a cache holds prompts and answers. */
const FILE_MODE = 0o600;

export interface OpenOptions {
  /** Longest a statement waits for another process's lock, ms. */
  busyTimeoutMs: number;
}

/**
 * Opens (creating if needed) the cache file, in WAL mode, with the schema.
 * Any problem — unwritable directory, a file that is not SQLite, a schema of
 * another version — becomes a `ConfigError` that names the path.
 */
export function openDatabase(path: string, options: OpenOptions): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (path !== ":memory:") prepareFile(path);
    db = new Database(path, { timeout: options.busyTimeoutMs });
    // Reading the schema is the first real I/O: a file that is not a database fails here.
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      throw new Error(
        `its schema version is ${version}, this store writes version ${SCHEMA_VERSION}`,
      );
    }
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    if (path !== ":memory:") restrictSidecars(path);
    return db;
  } catch (error) {
    db?.close();
    throw new ConfigError(`SqliteStore cannot use the cache file "${path}"`, {
      issues: [{ path: "path", message: describe(error), file: path }],
      cause: error,
    });
  }
}

function prepareFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Create with 0600 ourselves (SQLite would use 0644 & ~umask), and chmod in
  // case the file existed with wider rights or the umask removed ours.
  closeSync(openSync(path, "a", FILE_MODE));
  chmodSync(path, FILE_MODE);
}

function restrictSidecars(path: string): void {
  for (const sidecar of [`${path}-wal`, `${path}-shm`]) {
    if (existsSync(sidecar)) chmodSync(sidecar, FILE_MODE);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
