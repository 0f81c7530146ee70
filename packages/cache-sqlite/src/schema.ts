/** Bumped when the tables change; a file of another version is refused at start. */
export const SCHEMA_VERSION = 1;

/**
 * `entries` is WITHOUT ROWID (the key is the primary key, so a lookup is one
 * B-tree descent). `accessed_at` orders eviction; `size` keeps the byte
 * total exact without reading values. Tags live in their own table, emptied
 * by a trigger when an entry is deleted.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at INTEGER,
  accessed_at INTEGER NOT NULL,
  size INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_by_expiry ON entries (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_by_access ON entries (accessed_at);
CREATE TABLE IF NOT EXISTS tags (
  tag TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (tag, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_by_key ON tags (key);
CREATE TRIGGER IF NOT EXISTS entries_drop_tags AFTER DELETE ON entries
BEGIN
  DELETE FROM tags WHERE key = old.key;
END;
`;
