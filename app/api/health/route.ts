import { databaseHealth } from "@/lib/scrape/probes";

export const dynamic = "force-dynamic";

/** Liveness and readiness: the database answers. Reveals no data. */
export async function GET() {
  const health = await databaseHealth();
  return health ? Response.json({ ok: true, ...health }) : Response.json({ ok: false }, { status: 503 });
}
