// The gauges /metrics reads from the database at scrape time: requests, the job
// queue, scans, drift and the audit chain. Shared state, so every replica
// reports the same values (aggregate with max() across pods).
import type { PrismaClient } from "@/lib/db/generated/client";
import { verifyAuditChain } from "@/lib/audit/verify";
import { countDrift } from "@/lib/drift/counts";
import type { DriftKinds } from "@/lib/drift/compute";
import { metrics } from "@/lib/observability/metrics";

const REQUEST_STATUSES = ["pending", "changes_requested", "approved", "applying", "applied", "failed", "rejected", "cancelled", "expired"] as const;
const SCAN_STATUSES = ["succeeded", "partial", "failed"] as const;
const DRIFT_KINDS = ["out-of-band", "missing", "changed"] as const;

type Db = Pick<PrismaClient, "request" | "job" | "scan" | "requestItem" | "cluster" | "podIdentityAssociation" | "auditEvent">;

const AUDIT_KEY = Symbol.for("rolegate.metrics.audit-verified");
type AuditHolder = { [AUDIT_KEY]?: { at: number; pending?: Promise<void> } };

/** Seconds between audit chain verifications for /metrics (a full walk of the trail). */
export function auditVerifyIntervalMs(env = process.env): number {
  const raw = env.ROLEGATE_AUDIT_VERIFY_INTERVAL_SECONDS;
  const n = raw === undefined || raw === "" ? 300 : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : 300_000;
}

const seconds = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : 0);

/** `kinds`: the item-kind registry (the drift gauges read the items of the kinds that put an association in force). */
export async function collectDatabaseMetrics(prisma: Db, kinds: DriftKinds, now: Date = new Date(), options: { auditEveryMs?: number } = {}): Promise<void> {
  const m = metrics();

  const byStatus = await prisma.request.groupBy({ by: ["status"], _count: { _all: true } });
  for (const s of REQUEST_STATUSES) m.requests.set({ status: s }, byStatus.find((r) => r.status === s)?._count._all ?? 0);
  const oldestPending = await prisma.request.findFirst({ where: { status: "pending" }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
  m.pendingOldest.set(oldestPending ? Math.max(0, (now.getTime() - oldestPending.createdAt.getTime()) / 1000) : 0);

  const due = await prisma.job.groupBy({ by: ["queue"], where: { status: "queued", runAt: { lte: now } }, _count: { _all: true }, _min: { runAt: true } });
  const failed = await prisma.job.groupBy({ by: ["queue"], where: { status: "failed" }, _count: { _all: true } });
  m.queueDepth.reset();
  m.queueOldest.reset();
  m.jobsFailed.reset();
  for (const q of due) {
    m.queueDepth.set({ queue: q.queue }, q._count._all);
    m.queueOldest.set({ queue: q.queue }, q._min.runAt ? Math.max(0, (now.getTime() - q._min.runAt.getTime()) / 1000) : 0);
  }
  for (const q of failed) m.jobsFailed.set({ queue: q.queue }, q._count._all);

  const lastScan = await prisma.scan.findFirst({ where: { finishedAt: { not: null } }, orderBy: { finishedAt: "desc" }, select: { startedAt: true, finishedAt: true, status: true } });
  const lastOk = await prisma.scan.findFirst({ where: { status: "succeeded" }, orderBy: { finishedAt: "desc" }, select: { finishedAt: true } });
  m.scanDuration.set(lastScan?.finishedAt ? (lastScan.finishedAt.getTime() - lastScan.startedAt.getTime()) / 1000 : 0);
  m.scanFinished.set(seconds(lastScan?.finishedAt));
  m.scanLastSuccess.set(seconds(lastOk?.finishedAt));
  for (const s of SCAN_STATUSES) m.scanLastStatus.set({ status: s }, lastScan?.status === s ? 1 : 0);

  // Counted in SQL where it can be: a scrape must not read every cached association.
  const drift = await countDrift(prisma, kinds);
  for (const k of DRIFT_KINDS) m.drift.set({ kind: k }, drift[k]);

  // The audit walk reads every row: at most once per interval, and one walk at a time.
  const holder = globalThis as AuditHolder;
  const state = (holder[AUDIT_KEY] ??= { at: 0 });
  const every = options.auditEveryMs ?? auditVerifyIntervalMs();
  if (now.getTime() - state.at >= every || state.at === 0) {
    state.pending ??= verifyAuditChain(prisma)
      .then((r) => {
        m.auditValid.set(r.valid ? 1 : 0);
        m.auditRows.set(r.rows);
        m.auditVerifiedAt.set(Date.now() / 1000);
        state.at = now.getTime();
      })
      .finally(() => {
        state.pending = undefined;
      });
    await state.pending;
  }
}
