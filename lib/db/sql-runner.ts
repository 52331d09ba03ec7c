// The smallest interface both drivers (node-postgres and PGlite) satisfy, so the
// migration runner and raw checks work the same against either database.
export interface SqlRunner {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs fn inside BEGIN/COMMIT on one connection, rolling back on error. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}
