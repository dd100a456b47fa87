import pg from "pg";

// Node reports a refused connection to a name with several addresses (localhost: ::1 and 127.0.0.1) as an
// AggregateError with an empty message; its parts say what happened.
const describeFailure = (error: unknown): string => {
  if (error instanceof AggregateError && error.message === "") {
    return error.errors.map(describeFailure).join("; ");
  }
  if (error instanceof Error) {
    const code = "code" in error && typeof error.code === "string" ? error.code : "";
    return error.message === "" ? code || error.name : error.message;
  }
  return String(error);
};

const PROTOCOLS = new Set(["postgres:", "postgresql:"]);

/** Options of {@link connectPostgres}. */
export interface ConnectPostgresOptions {
  connectionString: string;
  poolSize: number;
  connectTimeoutMs: number;
}

/**
 * A connection pool checked by one round trip, so that a wrong URL fails at startup instead of at the first job.
 *
 * @throws {TypeError} when the connection string is not a `postgres://` URL.
 * @throws {Error} naming the host when the server cannot be reached or refuses the login; the message never holds
 * the password and carries no stack of the driver's error.
 */
export async function connectPostgres(options: ConnectPostgresOptions): Promise<pg.Pool> {
  // Never echoed: the string may hold a password.
  if (!URL.canParse(options.connectionString) || !PROTOCOLS.has(new URL(options.connectionString).protocol)) {
    throw new TypeError(
      "[@iac/server] invalid PostgreSQL connection string: expected a postgres:// or postgresql:// URL, received another text",
    );
  }
  // A Client reads the URL the way the pool will (host from `?host=` too), without connecting.
  const target = new pg.Client({ connectionString: options.connectionString });
  const where = `${target.host}:${target.port}${target.database === undefined ? "" : `/${target.database}`}`;
  const password = typeof target.password === "string" ? target.password : "";

  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
  });
  // An idle connection that drops (server restart) emits "error" on the pool, which would crash the process when
  // nobody listens. The pool discards that connection, and the next query reports the problem to its caller.
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = describeFailure(error);
    const safeReason = password === "" ? reason : reason.split(password).join("***");
    throw new Error(`[@iac/server] could not connect to PostgreSQL at ${where}: ${safeReason}`);
  }
  return pool;
}
