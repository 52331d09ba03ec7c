import { getConfig } from "@/lib/config";
import { getDatabase } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness and readiness: the database answers. Reveals no data. */
export async function GET() {
  try {
    const db = await getDatabase();
    await db.raw.query("SELECT 1");
    return Response.json({ ok: true, mode: getConfig().mode, database: db.kind });
  } catch {
    return Response.json({ ok: false }, { status: 503 });
  }
}
