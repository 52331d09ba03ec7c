// Liveness: the process answers. Deliberately checks nothing else, so a database
// blip makes pods unready (/readyz), never restarts them.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true, uptimeSeconds: Math.round(process.uptime()) }, { headers: { "cache-control": "no-store" } });
}
