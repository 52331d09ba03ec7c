// Readiness: the database answers now, the migrations are applied and this
// process's job runner is polling. A failing check takes the pod out of the
// Service without restarting it.
import { getDatabase } from "@/lib/db";
import { checkDatabase, checkMigrations, checkRunner, probeResponse, type Check } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const checks: Check[] = [];
  try {
    const db = await getDatabase();
    const reachable = await checkDatabase(db.raw);
    checks.push(reachable);
    if (reachable.ok) checks.push(await checkMigrations(db.raw));
  } catch (e) {
    checks.push({ name: "database", ok: false, message: `cannot open: ${(e as Error).message}` });
  }
  checks.push(checkRunner());
  return probeResponse(checks);
}
