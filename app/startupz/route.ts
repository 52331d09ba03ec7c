// Start-up probe: the database is open and every shipped migration is applied
// (they run at start under an advisory lock, possibly waiting for another replica).
import { probeResponse } from "@/lib/observability/health";
import { startupChecks } from "@/lib/scrape/probes";

export const dynamic = "force-dynamic";

export async function GET() {
  return probeResponse(await startupChecks());
}
