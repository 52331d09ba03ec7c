// Readiness: the database answers now, the migrations are applied and this
// process's job runner is polling. A failing check takes the pod out of the
// Service without restarting it.
import { probeResponse } from "@/lib/observability/health";
import { readinessChecks } from "@/lib/scrape/probes";

export const dynamic = "force-dynamic";

export async function GET() {
  return probeResponse(await readinessChecks());
}
