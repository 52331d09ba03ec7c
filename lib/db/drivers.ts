// Opens the database RoleGate was configured with: node-postgres against
// DATABASE_URL, or an in-process PGlite in the data dir. Both give a Prisma
// driver adapter and a raw SqlRunner (used by migrations and integrity checks).
import path from "node:path";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlRunner } from "./sql-runner";
import { acquireEmbeddedLock } from "./embedded-lock";
import { contextRunner, outsideRequest } from "@/lib/util/outside-request";

export interface OpenedDatabase {
  kind: "postgres" | "embedded";
  /** Human description for logs: never includes a password. */
  description: string;
  adapter: SqlDriverAdapterFactory;
  raw: SqlRunner;
  close(): Promise<void>;
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

export async function openPostgres(url: string): Promise<OpenedDatabase> {
  const { Pool } = await import("pg");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new Pool({ connectionString: url, max: 10 });
  // A pooled connection outlives the query that opened it, and node-postgres keeps that query's
  // callbacks (and so its promise) on the connection: opened in a page load, it kept the render's
  // whole state (lib/util/outside-request.ts). The pool's calls run in the pool's context (boot's);
  // their callers still resume in their own when the promise they await settles.
  const inPoolContext = outsideRequest(contextRunner);
  for (const method of ["connect", "query"] as const) {
    const call = pool[method] as (...args: unknown[]) => unknown;
    (pool as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => inPoolContext(() => call.apply(pool, args));
  }
  // An idle pooled connection the server ends (a failover, a restart, an administrator's
  // pg_terminate_backend or DROP DATABASE ... FORCE) emits "error" on the pool, and with no
  // listener Node ends the whole process. The pool drops that client; the next query opens another.
  // (A process warning, not the JSON log: lib/observability reads the database, lib/db may not import it.)
  pool.on("error", (e) => process.emitWarning(`The database closed an idle connection (${e.message}); the next query opens a new one.`, { code: "ROLEGATE_DB_IDLE_CONNECTION_LOST" }));
  const raw: SqlRunner = {
    async exec(sql) {
      await pool.query(sql);
    },
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows;
    },
    async transaction(fn) {
      const client = await pool.connect();
      const tx: SqlRunner = {
        async exec(sql) {
          await client.query(sql);
        },
        async query(sql, params) {
          return (await client.query(sql, params as unknown[])).rows;
        },
        transaction: (inner) => inner(tx),
      };
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
  };
  return {
    kind: "postgres",
    description: `Postgres ${redactUrl(url)}`,
    adapter: new PrismaPg(pool) as unknown as SqlDriverAdapterFactory,
    raw,
    close: () => pool.end(),
  };
}

export async function openEmbedded(dataDir: string): Promise<OpenedDatabase> {
  const dir = path.resolve(dataDir, "pglite");
  const release = acquireEmbeddedLock(path.resolve(dataDir));
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const db = await PGlite.create({ dataDir: dir });
    type Q = { query: PGliteQuery; exec: (sql: string) => Promise<unknown> };
    type PGliteQuery = <T>(sql: string, params?: unknown[]) => Promise<{ rows: T[] }>;
    const wrap = (q: Q, inTransaction: boolean): SqlRunner => {
      const runner: SqlRunner = {
        async exec(sql) {
          await q.exec(sql);
        },
        async query<T>(sql: string, params?: unknown[]) {
          return (await q.query<T>(sql, params)).rows;
        },
        // PGlite has one connection: a nested transaction joins the open one.
        transaction: (fn) =>
          inTransaction ? fn(runner) : db.transaction((tx) => fn(wrap(tx as unknown as Q, true))),
      };
      return runner;
    };
    return {
      kind: "embedded",
      description: `embedded PGlite at ${dir}`,
      adapter: new PrismaPGlite(db) as unknown as SqlDriverAdapterFactory,
      raw: wrap(db as unknown as Q, false),
      async close() {
        await db.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
