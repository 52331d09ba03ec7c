// Opens and migrates the database (Postgres at DATABASE_URL, else embedded PGlite)
// and makes its Prisma client. The process opens it once, through its runtime
// (lib/runtime.ts), which scripts/start.ts and the Next.js server code share: the
// embedded PGlite allows one instance per data directory.
import { PrismaClient } from "./generated/client";
import { openEmbedded, openPostgres, type OpenedDatabase } from "./drivers";
import { grantAppRole } from "./grants";
import { migrate, runDataMigrations, type DataMigration, type MigrateResult } from "./migrate";
import { createPrismaClient } from "./prisma-client";

export interface Database extends OpenedDatabase {
  prisma: PrismaClient;
  migrations: MigrateResult;
}

export interface DatabaseSettings {
  url?: string;
  dataDir: string;
  /**
   * ROLEGATE_MIGRATION_DATABASE_URL: the schema owner's connection. When set,
   * migrations run through it and the app's role (url) is then granted only
   * what it needs (lib/db/grants.ts: SELECT and INSERT on the audit trail).
   */
  migrationUrl?: string;
}

export function databaseSettingsFromEnv(env = process.env): DatabaseSettings {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.ROLEGATE_DATA_DIR || ".data",
    ...(env.ROLEGATE_MIGRATION_DATABASE_URL ? { migrationUrl: env.ROLEGATE_MIGRATION_DATABASE_URL } : {}),
  };
}

/** Runs the data migrations through a client of its own on `db` (the owner's connection, or the app's before its client exists). */
async function migrateData(db: OpenedDatabase, dataMigrations: DataMigration[]): Promise<string[]> {
  if (!dataMigrations.length) return [];
  const prisma = createPrismaClient(db.adapter);
  try {
    return await runDataMigrations(prisma, dataMigrations);
  } catch (e) {
    // The app's role reads the ledger but may not write it (lib/db/grants.ts): a pending data migration needs the owner.
    if (/permission denied for table _rolegate_migrations/.test((e as Error).message)) {
      throw new Error(
        `a data migration is pending and this role may not record it in _rolegate_migrations: start once with ROLEGATE_MIGRATION_DATABASE_URL ` +
          `(the owner) set, or run "npm run db:migrate" with it and ROLEGATE_AUDIT_KEY`,
      );
    }
    throw e;
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * Migrations (SQL, then data) as the owner, then the app role's grants; without an owner URL, as the app's own role.
 * As the owner because the ledger is read-only to the app role: it cannot delete a data migration's row to have it run again.
 */
async function migrateAsOwner(opened: OpenedDatabase, settings: DatabaseSettings, dataMigrations: DataMigration[]): Promise<MigrateResult> {
  if (!settings.url || !settings.migrationUrl || settings.migrationUrl === settings.url) {
    const migrations = await migrate(opened.raw);
    const data = await migrateData(opened, dataMigrations);
    return { ...migrations, applied: [...migrations.applied, ...data] };
  }
  const owner = await openPostgres(settings.migrationUrl);
  try {
    const sql = await migrate(owner.raw);
    const data = await migrateData(owner, dataMigrations);
    const migrations = { ...sql, applied: [...sql.applied, ...data] };
    const [app] = await opened.raw.query<{ role: string }>(`SELECT current_user AS role`);
    await grantAppRole(owner.raw, app!.role);
    return migrations;
  } catch (e) {
    throw new Error(`as the migration role (ROLEGATE_MIGRATION_DATABASE_URL): ${(e as Error).message}`);
  } finally {
    await owner.close();
  }
}

/**
 * Opens and migrates a database; the caller owns it (close()). The app opens it through its runtime
 * (lib/runtime.ts), which passes the app's data migrations; other openers (the CLI) apply only the SQL ones.
 */
export async function openDatabase(settings: DatabaseSettings, dataMigrations: DataMigration[] = []): Promise<Database> {
  const opened = settings.url ? await openPostgres(settings.url) : await openEmbedded(settings.dataDir);
  try {
    const migrations = await migrateAsOwner(opened, settings, dataMigrations);
    const prisma = createPrismaClient(opened.adapter);
    return {
      ...opened,
      prisma,
      migrations,
      async close() {
        await prisma.$disconnect();
        await opened.close();
      },
    };
  } catch (e) {
    await opened.close();
    throw e;
  }
}

