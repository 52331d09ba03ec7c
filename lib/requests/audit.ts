// One audit row per request event, with the typed context fields (request, cluster,
// namespace, SA, role, from/to state, AWS request id) the audit trail filters on.
import { recordAudit } from "@/lib/audit/record";
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
  const entry = {
    actor: input.actor,
    event: input.event,
    subject: `request:${input.requestId}`,
    requestId: input.requestId,
    cluster: input.item?.cluster,
    namespace: input.item?.namespace,
    serviceAccount: input.item?.serviceAccount,
    roleArn: input.item?.roleArn ?? undefined,
    fromState: input.fromState,
    toState: input.toState,
    awsRequestId: input.awsRequestId,
    details: {
      ...(input.fromState ? { fromState: input.fromState } : {}),
      ...(input.toState ? { toState: input.toState } : {}),
      ...(input.awsRequestId ? { awsRequestId: input.awsRequestId } : {}),
      ...(input.details ?? {}),
    } as Prisma.InputJsonValue,
  };
  await recordAudit(tx, entry);
}
