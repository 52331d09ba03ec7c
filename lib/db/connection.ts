// One database connection and one Prisma client per process. Kept on globalThis
// because Next.js bundles server code separately from scripts/start.ts: both must
// share the single embedded PGlite instance that the lock allows.
import { PrismaClient } from "./generated/client";
import { openEmbedded, openPostgres, type OpenedDatabase } from "./drivers";
import { migrate, type MigrateResult } from "./migrate";
import { createPrismaClient } from "./prisma-client";

export interface Database extends OpenedDatabase {
  prisma: PrismaClient;
  migrations: MigrateResult;
}

const KEY = Symbol.for("rolegate.database");
type Holder = { [KEY]?: Promise<Database> };

interface DatabaseSettings {
  url?: string;
  dataDir: string;
}

export function databaseSettingsFromEnv(env = process.env): DatabaseSettings {
  return { url: env.DATABASE_URL || undefined, dataDir: env.ROLEGATE_DATA_DIR || ".data" };
}

async function open(settings: DatabaseSettings): Promise<Database> {
  const opened = settings.url ? await openPostgres(settings.url) : await openEmbedded(settings.dataDir);
  try {
    const migrations = await migrate(opened.raw);
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
    holder[KEY] = open(settings).catch((e) => {
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
