// Least privilege for the app's database role on a real Postgres: migrations run
// as the schema owner (ROLEGATE_MIGRATION_DATABASE_URL), and the app's role
// (DATABASE_URL) gets only what running RoleGate needs. On the audit trail that
// is SELECT and INSERT: no UPDATE, DELETE or TRUNCATE, and not being the owner it
// cannot ALTER TABLE ... DISABLE TRIGGER or drop the table either. So the app's
// credentials alone cannot rewrite the trail; the owner's are kept out of the app.
//
// Re-run after every migration (idempotent), so new tables get their grants.
import type { SqlRunner } from "./sql-runner";

/** Tables the app may read but never change. */
const READ_INSERT_ONLY = ['"AuditEvent"'];
const READ_ONLY = ['"_rolegate_migrations"'];

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The statements that give `appRole` what the app needs in the current schema, and no more. */
export function appRoleGrants(appRole: string, schema: string): string[] {
  const role = ident(appRole);
  const s = ident(schema);
  return [
    `GRANT USAGE ON SCHEMA ${s} TO ${role}`,
    // Everything else: the app reads and writes its own tables (requests, jobs, sessions, ...).
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`,
    // nextval() for ids (recordAudit allocates the audit row id itself).
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`,
    ...READ_INSERT_ONLY.map((t) => `REVOKE ALL ON ${s}.${t} FROM ${role}`),
    ...READ_INSERT_ONLY.map((t) => `GRANT SELECT, INSERT ON ${s}.${t} TO ${role}`),
    ...READ_ONLY.map((t) => `REVOKE ALL ON ${s}.${t} FROM ${role}`),
    ...READ_ONLY.map((t) => `GRANT SELECT ON ${s}.${t} TO ${role}`),
    // Whatever PUBLIC was given, nobody but the owner changes the trail.
    ...READ_INSERT_ONLY.map((t) => `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${s}.${t} FROM PUBLIC`),
  ];
}

/** Applies appRoleGrants as the owner, in one transaction. Refuses an app role that owns the audit table. */
export async function grantAppRole(owner: SqlRunner, appRole: string): Promise<void> {
  await owner.transaction(async (tx) => {
    const [info] = await tx.query<{ schema: string; owner: string | null; me: string }>(
      `SELECT current_schema() AS schema, current_user AS me,
              (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'AuditEvent') AS owner`,
    );
    if (!info) throw new Error("cannot read the current schema");
    if (info.owner === appRole || info.me === appRole) {
      throw new Error(
        `the app's role "${appRole}" owns the schema's tables, so it could disable the audit trail's triggers: ` +
          `set ROLEGATE_MIGRATION_DATABASE_URL to the owner role and DATABASE_URL to a separate app role (README, "Postgres roles")`,
      );
    }
    for (const sql of appRoleGrants(appRole, info.schema)) await tx.exec(sql);
  });
}
