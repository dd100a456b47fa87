import type { CatalogService, EnvironmentConfig } from "@iac/sync";
import type { LastSuccessfulSync } from "../types.js";
import type { ReadJson } from "./store-rows.js";

/** A succeeded row of `job_services` joined with its job, as `lastSuccessfulSync` selects it. */
export interface LastSuccessRow {
  id: string;
  commit_sha: string;
  definition: unknown;
  environment: unknown;
}

/**
 * The columns of a {@link LastSuccessRow}, from `job_services s` joined with `jobs j`: both backends filter on
 * `state = 'succeeded'` so the partial index `job_services_succeeded` answers with one row read.
 */
export const LAST_SUCCESS_COLUMNS = "j.id, j.commit_sha, s.definition, j.environment";

/** Maps a {@link LastSuccessRow}; JSON columns go through `readJson` (parsed text in SQLite, JSONB in PostgreSQL). */
export function toLastSuccessfulSync(row: LastSuccessRow, readJson: ReadJson): LastSuccessfulSync {
  return {
    jobId: row.id,
    commit: row.commit_sha,
    service: readJson(row.definition) as CatalogService,
    environment: readJson(row.environment) as EnvironmentConfig,
  };
}
