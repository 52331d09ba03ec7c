// Whether the drift report computed earlier is still the report: it is a
// function of three tables (the association cache, the clusters' refresh
// outcomes, the applied request items), so a fingerprint of them, read in SQL
// without sending rows, says when it must be computed again.
// The association cache is not read at all: a trigger bumps the version of the
// cluster whose associations a statement wrote, in the same transaction, so a
// change to any of 100,000 associations changes a row of the (small) cluster
// table. Per table read: the row count (a delete changes it) and the sum and
// maximum of the row versions (xmin: every insert and update writes the
// transaction's id). Two transactions committing out of order can leave the
// maximum as it was, but not the sum as well, unless a delete and an insert
// cancel to the unit.
import type { PrismaClient } from "@/lib/db/generated/client";

export async function driftFingerprint(prisma: Pick<PrismaClient, "$queryRaw">): Promise<string> {
  const rows = await prisma.$queryRaw<{ t: string; n: string; s: string | null; x: string | null }[]>`
    SELECT 'clusters' AS t, count(*)::text AS n, sum(xmin::text::bigint)::text AS s, max(xmin::text::bigint)::text AS x FROM "Cluster"
    UNION ALL SELECT 'applied', count(*)::text, sum(xmin::text::bigint)::text, max(xmin::text::bigint)::text FROM "RequestItem" WHERE "status" = 'applied'`;
  return rows
    .sort((a, b) => a.t.localeCompare(b.t))
    .map((r) => `${r.t}:${r.n}:${r.s ?? "-"}:${r.x ?? "-"}`)
    .join("|");
}
