export { DEFAULT_MAX_READ_BYTES, SqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
