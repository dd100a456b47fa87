import type { ReadJson } from "./store-rows.js";

/** JSON columns as node-postgres returns them: JSONB arrives parsed already. */
export const readPostgresJson: ReadJson = (value) => value;
