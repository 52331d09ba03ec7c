// One audit row per request event, with the typed context fields (request, cluster,
// namespace, SA, role, from/to state, AWS request id) the audit trail filters on.
import { recordMappingAudit } from "@/lib/audit/record";
import type { AuditEventType } from "@/lib/audit/events";
import type { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "./deps";

export interface RequestAuditInput {
  actor: string;
  event: AuditEventType;
  requestId: string;
  item?: { cluster: string; namespace: string; serviceAccount: string; roleArn: string | null } | null;
  fromState?: string;
  toState?: string;
  awsRequestId?: string;
  details?: Record<string, unknown>;
}

export async function auditRequest(tx: Tx, input: RequestAuditInput): Promise<void> {
  await recordMappingAudit(tx, {
    ...input,
    subject: `request:${input.requestId}`,
    details: {
      ...(input.fromState ? { fromState: input.fromState } : {}),
      ...(input.toState ? { toState: input.toState } : {}),
      ...(input.awsRequestId ? { awsRequestId: input.awsRequestId } : {}),
      ...(input.details ?? {}),
    } as Prisma.InputJsonValue,
  });
}
