// A lease per scan scope, taken and renewed by compare-and-swap on
// (holder, expiresAt): works the same on Postgres and on embedded PGlite, and
// survives a replica that dies (its lease simply expires).
import type { PrismaClient } from "@/lib/db/generated/client";

type Db = Pick<PrismaClient, "scanLease">;

export const LEASE_TTL_MS = 2 * 60_000;

export async function ensureLeaseRow(db: Db, scope: string): Promise<void> {
  await db.scanLease.createMany({ data: [{ scope, holder: null, expiresAt: new Date(0) }], skipDuplicates: true });
}

/** Takes the lease if it is free or expired; true when `holder` now holds it. */
export async function tryAcquireLease(db: Db, scope: string, holder: string, scanId: string, now: Date, ttlMs = LEASE_TTL_MS): Promise<boolean> {
  const r = await db.scanLease.updateMany({
    where: { scope, expiresAt: { lt: now } },
    data: { holder, scanId, expiresAt: new Date(now.getTime() + ttlMs) },
  });
  return r.count === 1;
}

/** Extends the lease; false when it was lost (expired and taken by someone else). */
export async function renewLease(db: Db, scope: string, holder: string, now: Date, ttlMs = LEASE_TTL_MS): Promise<boolean> {
  const r = await db.scanLease.updateMany({ where: { scope, holder }, data: { expiresAt: new Date(now.getTime() + ttlMs) } });
  return r.count === 1;
}

export async function releaseLease(db: Db, scope: string, holder: string): Promise<void> {
  await db.scanLease.updateMany({ where: { scope, holder }, data: { holder: null, expiresAt: new Date(0) } });
}
