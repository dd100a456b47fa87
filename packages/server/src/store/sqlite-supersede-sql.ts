/** Ends one queued service of a SQLite store as superseded; parameters: its result (JSON), job seq and position. */
export const SQLITE_SUPERSEDE_SQL =
  "UPDATE job_services SET state = 'superseded', result = ? WHERE job_seq = ? AND position = ?";
