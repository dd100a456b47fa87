/** The job store failed (a database that does not answer, a full disk, a lock timeout); trying again later may help. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}
