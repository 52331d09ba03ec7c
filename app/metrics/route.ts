// Prometheus scrape endpoint: this process's counters plus gauges read from the
// shared database at scrape time. Bearer-protected (lib/observability/metrics-auth).
import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db";
import { collectDatabaseMetrics } from "@/lib/scrape/database-metrics";
import { metrics } from "@/lib/observability/metrics";
import { metricsAccess } from "@/lib/observability/metrics-auth";
import { log } from "@/lib/observability/log";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const access = metricsAccess(getConfig().mode, request.headers.get("authorization"));
  if (!access.ok) {
    return Response.json({ error: { code: access.status === 401 ? "unauthenticated" : "forbidden", message: access.message } }, { status: access.status, headers: { "www-authenticate": "Bearer" } });
  }
  const registry = metrics().registry;
  try {
    await collectDatabaseMetrics((await getDatabase()).prisma);
  } catch (e) {
    // Still serve the process's counters: a database outage is what the operator needs to see.
    log().warn({ err: (e as Error).message }, "metrics: database gauges not refreshed");
  }
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
