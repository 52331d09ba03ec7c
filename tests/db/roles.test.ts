// On a real Postgres: migrations run as an owner role, the app's role may only
// SELECT and INSERT on the audit trail. Two roles and a database made for this
// file on the server of DATABASE_URL (a superuser, as on CI), dropped afterwards.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "@/lib/db/connection";
import { openPostgres, type OpenedDatabase } from "@/lib/db/drivers";
import { recordAudit } from "@/lib/audit/record";
import { verifyAuditChain } from "@/lib/audit/verify";
import { claimJob, enqueueJob } from "@/lib/jobs/queue";
import { loadMigrations, migrate } from "@/lib/db/migrate";
import { KEY_CREDENTIAL_HASHES } from "@/lib/auth/key-credential-hashes";
import { SIGN_OPEN_APPROVALS } from "@/lib/requests";
import { appDataMigrations } from "@/lib/runtime";

const ADMIN_URL = process.env.DATABASE_URL;
const suffix = randomBytes(4).toString("hex");
const OWNER = `rg_owner_${suffix}`;
const APP = `rg_app_${suffix}`;
const DB = `rg_roles_${suffix}`;

function urlFor(user: string): string {
  const u = new URL(ADMIN_URL!);
  u.username = user;
  u.password = "";
  u.pathname = `/${DB}`;
  return u.toString();
}

let admin: OpenedDatabase;
let app: Database;
let appRaw: OpenedDatabase;

describe.skipIf(!ADMIN_URL)("Postgres roles: owner migrates, app only reads and appends the audit trail", () => {
  beforeAll(async () => {
    admin = await openPostgres(ADMIN_URL!);
    // Roles made for this test only (trust auth on CI's and the local server: no passwords).
    await admin.raw.exec(`CREATE ROLE ${OWNER} LOGIN; CREATE ROLE ${APP} LOGIN`);
    await admin.raw.exec(`CREATE DATABASE ${DB} OWNER ${OWNER}`);
    app = await openDatabase({ url: urlFor(APP), migrationUrl: urlFor(OWNER), dataDir: "unused" }, appDataMigrations());
    appRaw = await openPostgres(urlFor(APP));
  }, 180_000);

  afterAll(async () => {
    await appRaw?.close();
    await app?.close();
    if (!admin) return;
    // pool.end() resolves before its sockets are gone: wait for them rather than kill them (FORCE would error in the closing clients).
    for (let i = 0; i < 50; i++) {
      const [n] = await admin.raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [DB]);
      if (!n?.n) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await admin.raw.exec(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => {});
    await admin.raw.exec(`DROP ROLE IF EXISTS ${APP}; DROP ROLE IF EXISTS ${OWNER}`).catch(() => {});
    await admin.close();
  });

  it("the migrations ran as the owner: the tables belong to it, not to the app's role", async () => {
    expect(app.migrations.applied.length).toBeGreaterThan(0);
    // The data migrations too, recorded in the ledger the app's role cannot change (so it cannot have them run again).
    expect(app.migrations.applied.slice(-2)).toEqual([KEY_CREDENTIAL_HASHES, SIGN_OPEN_APPROVALS]);
    // ... and each run is in the audit trail, which the app's role can only append to.
    expect((await app.prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((r) => r.subject)).toEqual([`migration:${KEY_CREDENTIAL_HASHES}`, `migration:${SIGN_OPEN_APPROVALS}`]);
    const owners = await appRaw.raw.query<{ tableowner: string }>(`SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'`);
    expect(owners.map((o) => o.tableowner)).toEqual([OWNER]);
    const [me] = await appRaw.raw.query<{ u: string }>(`SELECT current_user AS u`);
    expect(me!.u).toBe(APP);
  });

  it("the app writes audit rows in transactions under the advisory lock, and the chain verifies", async () => {
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        app.prisma.$transaction(async (tx) => {
          await tx.user.create({ data: { login: `u${i}`, name: `User ${i}`, role: "requester" } });
          await recordAudit(tx, { actor: `u${i}`, event: "auth.signed_in", details: { i } });
        }),
      ),
    );
    // Five, after the two rows of the data migrations.
    expect(await app.prisma.auditEvent.count()).toBe(7);
    expect(await verifyAuditChain(app.prisma)).toMatchObject({ valid: true, rows: 7 });
    // The rest of the app's tables work as before: e.g. the job queue's claim (UPDATE ... FOR UPDATE SKIP LOCKED).
    await enqueueJob(app.prisma, { queue: "notify", payload: {} });
    expect(await claimJob(app.prisma, "w1", 1000)).toMatchObject({ queue: "notify", attempts: 1 });
    await app.prisma.user.updateMany({ where: { login: "u1" }, data: { name: "Renamed" } });
    await app.prisma.user.deleteMany({ where: { login: "u2" } });
  });

  it.each([
    ["UPDATE", `UPDATE "AuditEvent" SET actor = 'mallory'`, /permission denied for table AuditEvent/],
    ["DELETE", `DELETE FROM "AuditEvent"`, /permission denied for table AuditEvent/],
    ["TRUNCATE", `TRUNCATE "AuditEvent"`, /permission denied for table AuditEvent/],
    ["DISABLE TRIGGER", `ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`, /must be owner of table AuditEvent/],
    ["DROP TABLE", `DROP TABLE "AuditEvent"`, /must be owner of table AuditEvent/],
    ["migration record", `DELETE FROM "_rolegate_migrations"`, /permission denied for table _rolegate_migrations/],
  ])("the app's role is refused %s on the audit trail", async (_name, sql, error) => {
    await expect(appRaw.raw.exec(sql)).rejects.toThrow(error);
    expect(await app.prisma.auditEvent.count()).toBe(7);
  });

  it("a second start-up migrates nothing and grants again without error", async () => {
    const again = await openDatabase({ url: urlFor(APP), migrationUrl: urlFor(OWNER), dataDir: "unused" }, appDataMigrations());
    try {
      expect(again.migrations.applied).toEqual([]);
      await again.prisma.$transaction((tx) => recordAudit(tx, { actor: "ivy", event: "auth.signed_out" }));
      expect(await verifyAuditChain(again.prisma)).toMatchObject({ valid: true, rows: 8 });
    } finally {
      await again.close();
    }
  });

  it("the app alone starts on a migrated database (migrations run by a separate job), but cannot apply a new migration", async () => {
    const alone = await openDatabase({ url: urlFor(APP), dataDir: "unused" }, appDataMigrations());
    try {
      expect(alone.migrations.applied).toEqual([]);
      await expect(
        migrate(alone.raw, [...loadMigrations(), { name: "99990101000000_x", sql: `CREATE TABLE "X" (id INT)`, checksum: "x" }]),
      ).rejects.toThrow(/permission denied/);
      const pending = { name: "data:99990101000000_x", run: async () => {} };
      await expect(openDatabase({ url: urlFor(APP), dataDir: "unused" }, [pending])).rejects.toThrow(
        /a data migration is pending and this role may not record it.*ROLEGATE_MIGRATION_DATABASE_URL/,
      );
    } finally {
      await alone.close();
    }
  });

  it("refuses to grant when the app's role is the owner (it could switch the triggers off)", async () => {
    await expect(openDatabase({ url: urlFor(OWNER), migrationUrl: `${urlFor(OWNER)}?application_name=migrate`, dataDir: "unused" })).rejects.toThrow(
      /owns the schema's tables, so it could disable the audit trail's triggers/,
    );
  });
});
