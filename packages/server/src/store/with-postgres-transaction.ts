import type pg from "pg";

// Errors that mean "another transaction won a race; run again": a unique violation (two claims in one lane, two
// jobs with one dedupe key), a deadlock and a serialization failure. The retried transaction sees the winner's
// committed rows and decides again.
const RETRYABLE = new Set(["23505", "40P01", "40001"]);
const MAX_ATTEMPTS = 8;

const isRetryable = (error: unknown): boolean =>
  error instanceof Error && "code" in error && typeof error.code === "string" && RETRYABLE.has(error.code);

/**
 * Runs `work` in a transaction on one pooled connection: committed when it resolves, rolled back when it throws,
 * and run again (a few times) when it lost a race to a concurrent transaction.
 */
export async function withPostgresTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection is unusable: destroy it instead of returning it to the pool.
        broken = rollbackError as Error;
      }
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error) || broken !== undefined) {
        throw error;
      }
    } finally {
      client.release(broken);
    }
    // A short random pause so that the racing transactions do not collide again in lockstep.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
  }
}
