// A migrated, empty database for a test file: the Postgres server named by
// DATABASE_URL (CI: one database per run), else an embedded PGlite in a temp dir.
// Test files normally get it through useWorld (./world.ts), which resets it
// before each test; the helpers below are for tests that look under Prisma.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaClient } from "@/lib/db/generated/client";
import { openEmbedded, openPostgres, type OpenedDatabase } from "@/lib/db/drivers";
import { migrate } from "@/lib/db/migrate";
import { createPrismaClient } from "@/lib/db/prisma-client";

export interface TestDatabase {
  db: OpenedDatabase;
  prisma: PrismaClient;
  /** Empties every table but the migration record. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const tmp = url ? undefined : mkdtempSync(path.join(os.tmpdir(), "rolegate-test-"));
  const db = url ? await openPostgres(url) : await openEmbedded(tmp!);
  await migrate(db.raw);
  const prisma = createPrismaClient(db.adapter);
  const reset = async () => {
    const tables = await db.raw.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_rolegate_migrations'`,
    );
    if (!tables.length) return;
    // The audit trail's triggers refuse TRUNCATE: switch them off for this reset only.
    await db.raw.transaction(async (tx) => {
      const audit = tables.some((t) => t.tablename === "AuditEvent");
      if (audit) await tx.exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      await tx.exec(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
      if (audit) await tx.exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
    });
  };
  await reset();
  return {
    db,
    prisma,
    reset,
    async close() {
      await prisma.$disconnect();
      await db.close();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** What an owner of the database can do: switch the audit trail's append-only triggers off, run `sql`, switch them on. */
export async function asOwnerWithoutAuditTriggers(db: OpenedDatabase, sql: string): Promise<void> {
  await db.raw.transaction(async (tx) => {
    await tx.exec(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
    await tx.exec(sql);
    await tx.exec(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
  });
}

/**
 * A fingerprint of every table's content (count and md5 of its rows in a fixed order): equal before and after = no database change.
 * `ignore`: columns left out per table (a change to them alone is not seen).
 */
export async function databaseChecksum(prisma: PrismaClient, ignore: Readonly<Record<string, readonly string[]>> = {}): Promise<string> {
  const tables = await prisma.$queryRawUnsafe<{ t: string }[]>(
    `SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_rolegate_migrations' ORDER BY 1`,
  );
  if (!tables.length) return "";
  // One round trip for all tables: the fuzz test takes this before and after every call.
  const rows = await prisma.$queryRawUnsafe<{ t: string; n: bigint; h: string | null }[]>(
    tables
      .map(({ t }) => {
        const row = ignore[t]?.length ? `(to_jsonb(x) ${ignore[t]!.map((c) => `- '${c}'`).join(" ")})::text` : "x::text";
        return `SELECT '${t}' AS t, count(*) AS n, md5(string_agg(${row}, '|' ORDER BY ${row})) AS h FROM "${t}" x`;
      })
      .join(" UNION ALL "),
  );
  return rows.map((row) => `${row.t}:${row.n}:${row.h ?? ""}`).sort().join("\n");
}
