// Prometheus scrape endpoint: this process's counters plus gauges read from the
// shared database at scrape time. Bearer-protected (lib/observability/metrics-auth).
import { getConfig } from "@/lib/config";
import { refreshDatabaseMetrics } from "@/lib/scrape/probes";
import { metrics } from "@/lib/observability/metrics";
import { metricsAccess } from "@/lib/observability/metrics-auth";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const access = metricsAccess(getConfig().mode, request.headers.get("authorization"));
  if (!access.ok) {
    return Response.json({ error: { code: access.status === 401 ? "unauthenticated" : "forbidden", message: access.message } }, { status: access.status, headers: { "www-authenticate": "Bearer" } });
  }
  const registry = metrics().registry;
  // A database outage only logs: the process's counters still serve.
  await refreshDatabaseMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
}
