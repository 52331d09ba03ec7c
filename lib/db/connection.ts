// Opens and migrates the database (Postgres at DATABASE_URL, else embedded PGlite)
// and makes its Prisma client. The process opens it once, through its runtime
// (lib/runtime.ts), which scripts/start.ts and the Next.js server code share: the
// embedded PGlite allows one instance per data directory.
import { PrismaClient } from "./generated/client";
import { openEmbedded, openPostgres, type OpenedDatabase } from "./drivers";
import { grantAppRole } from "./grants";
import { migrate, type MigrateResult } from "./migrate";
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

/** Migrations as the owner, then the app role's grants; without an owner URL, as the app's own role. */
async function migrateAsOwner(opened: OpenedDatabase, settings: DatabaseSettings): Promise<MigrateResult> {
  if (!settings.url || !settings.migrationUrl || settings.migrationUrl === settings.url) return migrate(opened.raw);
  const owner = await openPostgres(settings.migrationUrl);
  try {
    const migrations = await migrate(owner.raw);
    const [app] = await opened.raw.query<{ role: string }>(`SELECT current_user AS role`);
    await grantAppRole(owner.raw, app!.role);
    return migrations;
  } catch (e) {
    throw new Error(`as the migration role (ROLEGATE_MIGRATION_DATABASE_URL): ${(e as Error).message}`);
  } finally {
    await owner.close();
  }
}

/** Opens and migrates a database; the caller owns it (close()). The app opens it through its runtime (lib/runtime.ts). */
export async function openDatabase(settings: DatabaseSettings): Promise<Database> {
  const opened = settings.url ? await openPostgres(settings.url) : await openEmbedded(settings.dataDir);
  try {
    const migrations = await migrateAsOwner(opened, settings);
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

