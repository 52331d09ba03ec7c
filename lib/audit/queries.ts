import "server-only";
// What the /audit page reads: one page of events and the filters' choices.
import { getPrisma } from "@/lib/db";
import { listAudit, type AuditQuery } from "./query";

export async function auditView(query: AuditQuery) {
  const prisma = await getPrisma();
  const [result, actors, events] = await Promise.all([
    listAudit(prisma, query),
    prisma.auditEvent.findMany({ distinct: ["actor"], select: { actor: true }, orderBy: { actor: "asc" } }),
    prisma.auditEvent.findMany({ distinct: ["event"], select: { event: true }, orderBy: { event: "asc" } }),
  ]);
  return { result, actors, events };
}
