// Writes an audit row with the transaction client of the change it records, so
// the change and its trail commit or roll back together.
import type { Prisma } from "@/lib/db/generated/client";
import type { AuditEventType } from "./events";

type TxClient = Pick<Prisma.TransactionClient, "auditEvent">;

export async function recordAudit(
  tx: TxClient,
  entry: { actor: string; event: AuditEventType; subject?: string; details?: Prisma.InputJsonValue },
): Promise<void> {
  await tx.auditEvent.create({
    data: { actor: entry.actor, event: entry.event, subject: entry.subject ?? null, details: entry.details ?? {} },
  });
}
