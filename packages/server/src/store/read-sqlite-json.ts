import type { ReadJson } from "./store-rows.js";

/** JSON columns as better-sqlite3 returns them: TEXT to parse. */
export const readSqliteJson: ReadJson = (value) => JSON.parse(String(value));
