import { randomBytes } from "node:crypto";
import pg from "pg";

// The server the PostgreSQL tests use; trust auth as user postgres unless told otherwise.
const ADMIN_URL = process.env["IAC_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A database made for one test, dropped by `drop`. */
export interface TestDatabase {
  name: string;
  connectionString: string;
  /** Runs one statement in the test database (for checks the store API does not expose). */
  query<R extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /** Empties every table of the job store (after a store migrated it), so the next test starts clean. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

/** Creates `iac_test_<random>` through the `postgres` database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `iac_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const connectionString = url.toString();
  const query = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    name,
    connectionString,
    query,
    async reset() {
      const tables = await query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
      );
      // DELETE, not TRUNCATE: a few rows go faster than new files for every table.
      const deletes = tables.map((table) => `DELETE FROM ${table.tablename};`).join(" ");
      if (deletes !== "") {
        await query(`SET session_replication_role = replica; ${deletes}`);
      }
    },
    // FORCE: a store the test forgot to close must not keep the database alive.
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
