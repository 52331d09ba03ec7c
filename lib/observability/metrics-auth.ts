// Who may scrape /metrics: a bearer secret (ROLEGATE_METRICS_TOKEN). Without it
// the endpoint is open in sandbox mode and closed in aws mode, where queue
// depths, drift counts and AWS error codes are worth protecting.
import { timingSafeEqual } from "node:crypto";

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

export function metricsAccess(mode: "sandbox" | "aws", authorization: string | null, token = process.env.ROLEGATE_METRICS_TOKEN || undefined): MetricsAccess {
  if (!token) {
    return mode === "sandbox"
      ? { ok: true }
      : { ok: false, status: 403, message: "/metrics needs ROLEGATE_METRICS_TOKEN in aws mode: set it and send it as 'Authorization: Bearer <token>'." };
  }
  const given = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!given) return { ok: false, status: 401, message: "Send the metrics token as 'Authorization: Bearer <token>'." };
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b) ? { ok: true } : { ok: false, status: 401, message: "The metrics token does not match." };
}
