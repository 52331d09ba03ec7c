// Start-up probe: the database is open and every shipped migration is applied
// (they run at start under an advisory lock, possibly waiting for another replica).
import { getDatabase } from "@/lib/db";
import { checkMigrations, probeResponse } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await getDatabase();
    return probeResponse([await checkMigrations(db.raw)]);
  } catch (e) {
    return probeResponse([{ name: "database", ok: false, message: `cannot open: ${(e as Error).message}` }]);
  }
}
