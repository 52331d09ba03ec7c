import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/lib/db/drivers";
import { diffMigrationsToSchema } from "@/lib/db/schema-engine";
import { loadMigrations, migrate } from "@/lib/db/migrate";
import { openTestDatabase, type TestDatabase } from "../support/db";

const root = path.resolve(__dirname, "../..");

describe("prisma/schema and prisma/migrations", () => {
  it("agree: the migrations build exactly the schema", async () => {
    const sql = await diffMigrationsToSchema(path.join(root, "prisma/schema"), path.join(root, "prisma/migrations"));
    expect(sql, `prisma/schema has changes no migration covers; run npm run db:new-migration -- <name>:\n${sql}`).toBe("");
  }, 300_000);
});

describe("migration runner", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => t.close());

  it("is idempotent and records every migration once", async () => {
    const again = await migrate(t.db.raw);
    expect(again.applied).toEqual([]);
    // The app's data migrations (runDataMigrations, run by a started app on this database) share the ledger.
    const rows = await t.db.raw.query<{ name: string }>(`SELECT name FROM "_rolegate_migrations" WHERE name NOT LIKE 'data:%' ORDER BY name`);
    expect(rows.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
  });

  it("refuses to run when an applied migration was edited", async () => {
    const edited = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
    await expect(migrate(t.db.raw, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it("applies a new migration and rolls back a failing one entirely", async () => {
    const base = loadMigrations();
    const ok = { name: "99990101000000_test_extra", sql: `CREATE TABLE "TestExtra" (id INT PRIMARY KEY);`, checksum: "a" };
    const bad = { name: "99990102000000_test_bad", sql: `CREATE TABLE "TestBad" (id INT); SELECT * FROM no_such_table;`, checksum: "b" };
    await expect(migrate(t.db.raw, [...base, ok, bad])).rejects.toThrow();
    // One transaction: neither the good nor the bad one stuck.
    const tables = await t.db.raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('TestExtra','TestBad')`);
    expect(tables[0]!.n).toBe(0);
    const result = await migrate(t.db.raw, [...base, ok]);
    expect(result.applied).toEqual([ok.name]);
    await t.db.raw.exec(`DROP TABLE "TestExtra"; DELETE FROM "_rolegate_migrations" WHERE name = '${ok.name}'`);
  });
});

// Replicas of a new install start together on an empty database: every one runs
// migrate() at once. Real Postgres only (the embedded database has one connection).
describe.skipIf(!process.env.DATABASE_URL)("migration runner, several processes on an empty Postgres database", () => {
  const admin = process.env.DATABASE_URL!;
  const name = `${new URL(admin).pathname.slice(1)}_migrate_race_${process.pid}`;
  const url = Object.assign(new URL(admin), { pathname: `/${name}` }).toString();

  async function onAdmin(sql: string) {
    const db = await openPostgres(admin);
    try {
      await db.raw.exec(sql);
    } finally {
      await db.close();
    }
  }
  afterAll(async () => onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it("all succeed, the first to take the lock applies every migration and the others none", async () => {
    const migrations = loadMigrations();
    for (let round = 0; round < 3; round++) {
      await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await onAdmin(`CREATE DATABASE "${name}"`);
      // Separate pools: separate sessions, as separate processes have.
      const replicas = await Promise.all([1, 2, 3, 4].map(() => openPostgres(url)));
      try {
        const results = await Promise.all(replicas.map((r) => migrate(r.raw, migrations)));
        expect(results.map((r) => r.applied.length).sort((a, b) => a - b)).toEqual([0, 0, 0, migrations.length]);
        const recorded = await replicas[0]!.raw.query<{ name: string }>(`SELECT name FROM "_rolegate_migrations" ORDER BY name`);
        expect(recorded.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
      }
    }
  }, 120_000);
});
