import "server-only";
// What the /audit page reads: one page of events and the filters' choices.
import { getPrisma } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { listAudit, type AuditQuery } from "./query";
import { approvalsOf } from "./row-context";

/** `scope` narrows what a requester reads (lib/auth/audit-scope): also the actor and event pickers. */
export async function auditView(query: AuditQuery, scope?: Prisma.AuditEventWhereInput) {
  const prisma = await getPrisma();
  // The pickers' values by GROUP BY in the database: Prisma's `distinct` reads every row of the trail and de-duplicates in memory.
  const [result, actors, events] = await Promise.all([
    listAudit(prisma, query, scope),
    prisma.auditEvent.groupBy({ by: ["actor"], where: scope, orderBy: { actor: "asc" } }),
    prisma.auditEvent.groupBy({ by: ["event"], where: scope, orderBy: { event: "asc" } }),
  ]);
  const approvals = await approvalsOf(prisma, result.rows, scope);
  return { result, actors, events, approvals };
}
