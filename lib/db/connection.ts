// Opens and migrates the database (Postgres at DATABASE_URL, else embedded PGlite)
// and makes its Prisma client. The process opens it once, through its runtime
// (lib/runtime.ts), which scripts/start.ts and the Next.js server code share: the
// embedded PGlite allows one instance per data directory.
import { PrismaClient } from "./generated/client";
import { openEmbedded, openPostgres, type OpenedDatabase } from "./drivers";
import { migrate, type MigrateResult } from "./migrate";
import { createPrismaClient } from "./prisma-client";

export interface Database extends OpenedDatabase {
  prisma: PrismaClient;
  migrations: MigrateResult;
}

export interface DatabaseSettings {
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

/** Opens and migrates the database; the caller owns it (close()). */
export function openDatabase(settings: DatabaseSettings = databaseSettingsFromEnv()): Promise<Database> {
  return open(settings);
}
