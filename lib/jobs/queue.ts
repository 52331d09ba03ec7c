// A job queue in Postgres (and PGlite: same SQL). Enqueue inside the transaction
// of the change that needs the job (outbox), claim with FOR UPDATE SKIP LOCKED,
// hold a lease (lockedUntil): a worker that dies loses its lease and the job is
// claimed again once it expires.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

export type JobQueue = "apply-request" | "notify" | "expiry-sweep" | "scheduled-scan" | "audit-checkpoint" | "scan-part" | "scan-finalize" | "scan-retention";

export interface ClaimedJob {
  id: bigint;
  queue: JobQueue;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

type Db = Pick<PrismaClient, "job" | "$queryRawUnsafe" | "$executeRawUnsafe">;

/** Adds a job; with a key, a second enqueue of the same key is a no-op. */
export async function enqueueJob(
  tx: Pick<Prisma.TransactionClient, "job">,
  job: { queue: JobQueue; payload: Record<string, unknown>; key?: string; runAt?: Date; maxAttempts?: number },
): Promise<void> {
  await enqueueJobs(tx, [job]);
}

/** Adds several jobs in one statement (keys as in enqueueJob). */
export async function enqueueJobs(
  tx: Pick<Prisma.TransactionClient, "job">,
  jobs: { queue: JobQueue; payload: Record<string, unknown>; key?: string; runAt?: Date; maxAttempts?: number }[],
): Promise<void> {
  if (!jobs.length) return;
  const now = new Date();
  await tx.job.createMany({
    data: jobs.map((job) => ({ queue: job.queue, payload: job.payload as Prisma.InputJsonValue, key: job.key ?? null, runAt: job.runAt ?? now, maxAttempts: job.maxAttempts ?? 5 })),
    skipDuplicates: true,
  });
}

/** Claims one due job (queued, or running with an expired lease) for leaseMs; of the given queues only, when given. */
export async function claimJob(db: Db, workerId: string, leaseMs: number, now = new Date(), queues?: readonly JobQueue[]): Promise<ClaimedJob | null> {
  return (await claimJobs(db, workerId, leaseMs, 1, now, queues))[0] ?? null;
}

/** Claims up to `limit` due jobs at once (as claimJob, oldest first): one round trip for a lane with room for many. */
export async function claimJobs(db: Db, workerId: string, leaseMs: number, limit: number, now = new Date(), queues?: readonly JobQueue[]): Promise<ClaimedJob[]> {
  const rows = await db.$queryRawUnsafe<{ id: bigint; queue: JobQueue; payload: Record<string, unknown>; attempts: number; maxAttempts: number }[]>(
    // The locking CTE picks the rows once (a subquery under IN could be planned to run again).
    `WITH picked AS (
       SELECT "id" FROM "Job"
       WHERE (("status" = 'queued' AND "runAt" <= $3::timestamptz)
          OR ("status" = 'running' AND "lockedUntil" < $3::timestamptz))
         AND ($4::text[] IS NULL OR "queue" = ANY($4::text[]))
       ORDER BY "runAt", "id"
       FOR UPDATE SKIP LOCKED
       LIMIT $5::int)
     UPDATE "Job" SET "status" = 'running', "attempts" = "attempts" + 1, "lockedUntil" = $1::timestamptz, "lockedBy" = $2
     FROM picked WHERE "Job"."id" = picked."id"
     RETURNING "Job"."id", "queue", "payload", "attempts", "maxAttempts"`,
    new Date(now.getTime() + leaseMs).toISOString(),
    workerId,
    now.toISOString(),
    queues ? [...queues] : null,
    Math.max(1, Math.floor(limit)),
  );
  return rows.map((row) => ({ ...row, id: BigInt(row.id) })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Extends the lease of a job this worker still holds; false when it lost it. */
export async function renewLease(db: Db, id: bigint, workerId: string, leaseMs: number): Promise<boolean> {
  const n = await db.$executeRawUnsafe(
    `UPDATE "Job" SET "lockedUntil" = $1::timestamptz WHERE "id" = $2 AND "lockedBy" = $3 AND "status" = 'running'`,
    new Date(Date.now() + leaseMs).toISOString(),
    id,
    workerId,
  );
  return n === 1;
}

// Completing or failing is a compare-and-swap on (lockedBy, running): a worker whose
// lease lapsed (a long pause) and was claimed by another must not mark done, or
// queue again, the job the other one now holds.
const heldBy = (id: bigint, workerId: string) => ({ id, lockedBy: workerId, status: "running" });

/** Done; false when this worker no longer held the job (another claimed it after the lease lapsed). */
export async function completeJob(db: Db, id: bigint, workerId: string): Promise<boolean> {
  const r = await db.job.updateMany({ where: heldBy(id, workerId), data: { status: "done", finishedAt: new Date(), lockedUntil: null, lastError: null } });
  return r.count === 1;
}

/** Failed attempt: back off exponentially, or give up after maxAttempts; "lost" when another worker holds it now. */
export async function failJob(db: Db, job: ClaimedJob, workerId: string, error: string, now = new Date()): Promise<"retry" | "failed" | "lost"> {
  const final = job.attempts >= job.maxAttempts;
  const delay = Math.min(60_000, 1000 * 2 ** (job.attempts - 1));
  const r = await db.job.updateMany({
    where: heldBy(job.id, workerId),
    data: final
      ? { status: "failed", finishedAt: now, lockedUntil: null, lastError: error }
      : { status: "queued", runAt: new Date(now.getTime() + delay), lockedUntil: null, lastError: error },
  });
  if (r.count !== 1) return "lost";
  return final ? "failed" : "retry";
}
