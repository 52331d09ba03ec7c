// One database connection and one Prisma client per process. Kept on globalThis
// because Next.js bundles server code separately from scripts/start.ts: both must
// share the single embedded PGlite instance that the lock allows.
import { PrismaClient } from "./generated/client";
import { openEmbedded, openPostgres, type OpenedDatabase } from "./drivers";
import { grantAppRole } from "./grants";
import { migrate, type MigrateResult } from "./migrate";
import { createPrismaClient } from "./prisma-client";

export interface Database extends OpenedDatabase {
  prisma: PrismaClient;
  migrations: MigrateResult;
}

const KEY = Symbol.for("rolegate.database");
type Holder = { [KEY]?: Promise<Database> };

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

/** Opens and migrates a database (tests and tools; the app uses getDatabase). */
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

/** Opens (once) and migrates the configured database. */
export function getDatabase(settings: DatabaseSettings = databaseSettingsFromEnv()): Promise<Database> {
  const holder = globalThis as Holder;
  if (!holder[KEY]) {
    holder[KEY] = openDatabase(settings).catch((e) => {
      delete holder[KEY];
      throw e;
    });
  }
  return holder[KEY];
}

export async function getPrisma(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}

export async function closeDatabase(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[KEY];
  delete holder[KEY];
  if (pending) await (await pending).close();
}
