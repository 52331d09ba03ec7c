// One audit row per campaign event, written in the transaction of the change.
import { recordMappingAudit } from "@/lib/audit/record";
import type { AuditEventType } from "@/lib/audit/events";
import type { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/requests";

export async function auditReview(
  tx: Tx,
  e: { actor: string; event: AuditEventType; campaignId: string; item?: { cluster: string; namespace: string; serviceAccount: string; roleArn: string }; requestId?: string; fromState?: string; toState?: string; details?: Record<string, unknown> },
): Promise<void> {
  await recordMappingAudit(tx, { ...e, subject: `review:${e.campaignId}`, details: { campaignId: e.campaignId, ...(e.details ?? {}) } as Prisma.InputJsonValue });
}
