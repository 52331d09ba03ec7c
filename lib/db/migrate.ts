// Applies the versioned SQL in prisma/migrations/ in name order, once each,
// recording name and checksum. Safe to run on every start-up and from several
// replicas at once (a Postgres advisory lock serialises them).
// Then the data migrations the app passes in (runDataMigrations): changes to rows
// that need the app's code or secrets, recorded in the same ledger, each run once.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Prisma, PrismaClient } from "./generated/client";
import type { SqlRunner } from "./sql-runner";

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/** Arbitrary constant: "rolegate" in ASCII, as the advisory lock key. */
const LOCK_KEY = 0x726f6c65;

function defaultMigrationsDir(): string {
  // Read at run time from the app's folder; not something the bundler should trace.
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");
}

export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) throw new Error(`Migrations folder not found: ${dir}`);
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function migrate(db: SqlRunner, migrations = loadMigrations()): Promise<MigrateResult> {
  return db.transaction(async (tx) => {
    // Transaction-scoped: released on commit or rollback, even if we crash. Taken before
    // anything else, the record table included: replicas starting together on an empty
    // database would otherwise both create it, and concurrent CREATE TABLE IF NOT EXISTS
    // can fail on Postgres's catalog (duplicate key in pg_type).
    await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    // Only when missing: an app role without CREATE on the schema (lib/db/grants.ts) must still start on a migrated database.
    const [record] = await tx.query<{ exists: boolean }>(`SELECT to_regclass('"_rolegate_migrations"') IS NOT NULL AS exists`);
    if (!record?.exists) {
      await tx.exec(`CREATE TABLE "_rolegate_migrations" (
        name TEXT PRIMARY KEY,
        checksum TEXT NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
    }
    const rows = await tx.query<{ name: string; checksum: string }>(
      `SELECT name, checksum FROM "_rolegate_migrations"`,
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const applied: string[] = [];
    for (const m of migrations) {
      const recorded = done.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied (checksum differs). ` +
              `Never edit an applied migration: add a new one with "npm run db:new-migration -- <name>".`,
          );
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query(`INSERT INTO "_rolegate_migrations" (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
      applied.push(m.name);
    }
    return { applied, alreadyApplied: done.size };
  });
}

/**
 * A change to existing rows that SQL alone cannot make (it needs ROLEGATE_AUDIT_KEY,
 * say): defined where the rows' meaning lives (lib/auth, lib/requests), handed to
 * openDatabase by the composition root (lib/runtime.ts).
 */
export interface DataMigration {
  /** Its name in the ledger ("data:..."): never reused, never renamed. */
  name: string;
  run(tx: Prisma.TransactionClient): Promise<void>;
}

/** What a data migration's ledger row holds in the checksum column (there is no SQL to compare). */
const DATA_MIGRATION_CHECKSUM = "data-migration";

/**
 * Runs the data migrations not yet in the ledger, in order, after the SQL
 * migrations, under the same advisory lock, each with its ledger row in one
 * transaction: exactly once per database, however many replicas start together.
 * Once only matters: a conversion that ran on every start would also convert
 * rows written into the database since by someone without the key.
 */
export async function runDataMigrations(prisma: PrismaClient, migrations: DataMigration[]): Promise<string[]> {
  if (!migrations.length) return [];
  // Minutes, not Prisma's default seconds: the lock may be held by a replica applying SQL migrations, and a
  // conversion touches every session and token row.
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
      const done = new Set((await tx.$queryRaw<{ name: string }[]>`SELECT name FROM "_rolegate_migrations"`).map((r) => r.name));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.name)) continue;
        await m.run(tx);
        await tx.$executeRaw`INSERT INTO "_rolegate_migrations" (name, checksum) VALUES (${m.name}, ${DATA_MIGRATION_CHECKSUM})`;
        applied.push(m.name);
      }
      return applied;
    },
    { maxWait: 60_000, timeout: 15 * 60_000 },
  );
}
