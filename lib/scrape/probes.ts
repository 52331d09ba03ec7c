import "server-only";
// What /api/health, /startupz, /readyz and /metrics read from the shared
// database, opened through the runtime. The probe rules themselves live in
// lib/observability/health; this module only supplies the database to them, so
// the routes stay free of data access.
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import { checkDatabase, checkMigrations, checkRunner, type Check } from "@/lib/observability/health";
import { log } from "@/lib/observability/log";
import { processItemKinds } from "@/lib/requests/queries";
import { collectDatabaseMetrics } from "./database-metrics";

const cannotOpen = (e: unknown): Check => ({ name: "database", ok: false, message: `cannot open: ${(e as Error).message}` });

/** Legacy health: the database answers one query. Reveals no data; undefined when it does not. */
export async function databaseHealth(): Promise<{ mode: string; database: string } | undefined> {
  try {
    const db = await getDatabase();
    await db.raw.query("SELECT 1");
    return { mode: getConfig().mode, database: db.kind };
  } catch {
    return undefined;
  }
}

/** Start-up: the database is open and every shipped migration is applied. */
export async function startupChecks(): Promise<Check[]> {
  try {
    const db = await getDatabase();
    return [await checkMigrations(db.raw)];
  } catch (e) {
    return [cannotOpen(e)];
  }
}

/** Readiness: the database answers now, migrations applied (checked only when reachable), runner polling. */
export async function readinessChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  try {
    const db = await getDatabase();
    const reachable = await checkDatabase(db.raw);
    checks.push(reachable);
    if (reachable.ok) checks.push(await checkMigrations(db.raw));
  } catch (e) {
    checks.push(cannotOpen(e));
  }
  checks.push(checkRunner());
  return checks;
}

/** Refresh the database gauges before a scrape; a database outage only logs (the process's counters still serve). */
export async function refreshDatabaseMetrics(): Promise<void> {
  try {
    await collectDatabaseMetrics((await getDatabase()).prisma, processItemKinds());
  } catch (e) {
    log().warn({ err: (e as Error).message }, "metrics: database gauges not refreshed");
  }
}
