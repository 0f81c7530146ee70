// The default of `maxEntryBytes`, shared by the L2 stores.
export { DEFAULT_MAX_READ_BYTES } from "@llm/cache";
export { SqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
