import type { JobQuery, JobState } from "../types.js";
import { decodePageCursor } from "./decode-page-cursor.js";

const MAX_LIMIT = 100;

/** A {@link JobQuery} checked and decoded, ready for SQL parameters. */
export interface CheckedJobQuery {
  env: string | null;
  service: string | null;
  state: JobState | null;
  limit: number;
  /** Only jobs with a lower `seq` than this; null on the first page. */
  beforeSeq: number | null;
}

/**
 * Checks the filters of `listJobs` and decodes its cursor.
 *
 * @throws {TypeError} for a limit outside 1..100 or a cursor that `listJobs` did not return.
 */
export function checkJobQuery(query: JobQuery): CheckedJobQuery {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_LIMIT) {
    throw new TypeError(
      `[@iac/server] invalid limit: expected an integer from 1 to ${MAX_LIMIT}, received ${String(query.limit)}`,
    );
  }
  return {
    env: query.env ?? null,
    service: query.service ?? null,
    state: query.state ?? null,
    limit: query.limit,
    beforeSeq: query.cursor === undefined ? null : decodePageCursor(query.cursor),
  };
}
