// The one way a request is filed, whoever files it (the request form and API,
// drift adopt, Blue/Green, migration, stale-pod restart, expiry extension, the
// expiry sweep's revocation): choose the approval policy for the items and raise
// it to what their kinds need (item-kinds.ts), then write in ONE transaction the
// Request row (pinned policy, stored prechecks, pending TTL), its items, the
// `request.created` audit row and the "created" notification. A system filing is
// approved in that transaction too, signed (./approval-signatures.ts), with its own
// audit row, and queued for apply.
import { randomUUID } from "node:crypto";
import { enqueueJob } from "@/lib/jobs/queue";
import type { Prisma, RequestKind } from "@/lib/db/generated/client";
import { signAutoApproval } from "./approval-signatures";
import { auditRequest } from "./audit";
import { now, type RequestsDeps, type Tx } from "./deps";
import { queueNotification } from "./notify";
import { choosePolicy, requirementsOf, totalApprovals, type PolicyChoice, type PolicyItem } from "./policies";
import { clientRequestToken } from "./tokens";
import { casTransition } from "./transition";
import { requestTtlMs } from "./ttl";

export type FilingDeps = Pick<RequestsDeps, "prisma" | "kinds" | "now" | "pendingTtlMs">;

/** One item as filed; position, id and idempotency token are given here. */
export interface FiledItem {
  kind: string;
  cluster: string;
  accountId: string;
  region: string;
  namespace: string;
  serviceAccount: string;
  roleArn?: string | null;
  targetRoleArn?: string | null;
  disableSessionTags?: boolean;
  sessionPolicy?: string | null;
  tags?: Record<string, string>;
  mappingExpiresAt?: Date | null;
  associationId?: string | null;
  /** update/delete/adopt: the role the association mapped when AWS described it at filing (apply re-checks it). */
  subjectRoleArn?: string | null;
  iamPolicyName?: string | null;
  iamPolicyDocument?: string | null;
  iamBaseHash?: string | null;
  /** create-role: the role to create and its trust (lib/requests/create-role). */
  roleSpec?: Prisma.InputJsonValue;
  /** The template version the item belongs to (lib/templates): its "template" item, or a mapping the template made. */
  templateId?: string | null;
  /** Rows that belong to this item, written right after it (e.g. its planned pod restarts). */
  with?: (tx: Tx, itemId: string) => Promise<void>;
}

type AuditItem = { cluster: string; namespace: string; serviceAccount: string; roleArn: string | null };

export interface FileRequestInput {
  kind: RequestKind;
  requester: { id: string; login: string };
  justification: string;
  items: FiledItem[];
  /** Precheck results stored with the request (indexed by item position). */
  prechecks?: unknown[];
  /** What the approval policy is chosen for; default: every item's account, region, cluster, namespace and role. */
  policyFor?: PolicyItem[];
  /** A system filing (expiry revocation): no policy, no pending time, approved at once for `reason`. */
  system?: { policy: string; reason: string; details?: Record<string, unknown> };
  /** The request may stay pending at most until then (an extension cannot outlive its mapping). */
  pendingUntil?: Date;
  /** Runs first in the transaction; false files nothing (e.g. another sweeper claimed the expiry). */
  claim?: (tx: Tx, requestId: string) => Promise<boolean>;
  /** Items written after `items` from `position` on (e.g. revocation restarts); returns details for the audit row. */
  more?: (tx: Tx, requestId: string, position: number) => Promise<Record<string, unknown> | void>;
  /** The `request.created` row: the item it names (default the first) and its details. */
  audit: { item?: AuditItem; details: (filed: { policy: PolicyChoice; more: Record<string, unknown> }) => Record<string, unknown> };
  notification: string;
}

export interface FiledRequest {
  id: string;
  status: "pending" | "approved";
  policy: PolicyChoice;
}

/**
 * The existing association each item acts on (update, delete, adopt, revocation, extension), as
 * resolved from AWS at filing: the row's typed columns name only one item, and an update's
 * role there is the new one, so the audit would not say whose association it was nor which
 * role it replaced.
 */
function subjectsOf(items: FiledItem[]) {
  return items.flatMap((i, position) =>
    i.associationId
      ? [{ item: position, kind: i.kind, cluster: i.cluster, namespace: i.namespace, serviceAccount: i.serviceAccount, associationId: i.associationId, subjectRoleArn: i.subjectRoleArn ?? null, roleArn: i.roleArn ?? null }]
      : [],
  );
}

/** The policy of a system filing: no human review (the audit row names why). */
const SYSTEM_POLICY: PolicyChoice = { policyVersionId: null, requiredApprovals: 0, approverRole: "approver" };

export async function fileRequest(deps: FilingDeps, input: FileRequestInput & { claim: NonNullable<FileRequestInput["claim"]> }): Promise<FiledRequest | null>;
export async function fileRequest(deps: FilingDeps, input: FileRequestInput): Promise<FiledRequest>;
export async function fileRequest(deps: FilingDeps, input: FileRequestInput): Promise<FiledRequest | null> {
  if (!input.items.length) throw new Error("a request needs at least one item");
  const policy = input.system
    ? SYSTEM_POLICY
    : deps.kinds.raise(
        await choosePolicy(deps.prisma, input.policyFor ?? input.items.map((i) => ({ accountId: i.accountId, region: i.region, cluster: i.cluster, namespace: i.namespace, roleArn: i.roleArn, targetRoleArn: i.targetRoleArn }))),
        input.items.map((i) => i.kind),
      );
  const at = now(deps);
  const ttlEnd = at.getTime() + (deps.pendingTtlMs ?? requestTtlMs());
  const expiresAt = input.system ? at : new Date(input.pendingUntil ? Math.min(ttlEnd, input.pendingUntil.getTime()) : ttlEnd);
  const id = randomUUID();
  // Per-role requirements (the union over every item, raised for the kinds): stored, and what approval checks.
  const requirements = requirementsOf(policy);
  const filed = await deps.prisma.$transaction(async (tx) => {
    if (input.claim && !(await input.claim(tx, id))) return false;
    const request = await tx.request.create({
      data: {
        id,
        kind: input.kind,
        requesterId: input.requester.id,
        justification: input.justification,
        policyVersionId: policy.policyVersionId,
        requiredApprovals: totalApprovals(requirements),
        approverRole: policy.approverRole,
        approvalRequirements: requirements as unknown as Prisma.InputJsonValue,
        prechecks: (input.prechecks ?? []) as Prisma.InputJsonValue,
        prechecksAt: input.system ? null : at,
        expiresAt,
        createdAt: at,
      },
    });
    for (const [position, { with: rows, tags, ...item }] of input.items.entries()) {
      const itemId = randomUUID();
      await tx.requestItem.create({
        data: { ...item, ...(tags ? { tags } : {}), id: itemId, requestId: id, position, clientRequestToken: clientRequestToken(itemId) },
      });
      await rows?.(tx, itemId);
    }
    const more = (await input.more?.(tx, id, input.items.length)) ?? {};
    const first = input.items[0]!;
    const item = input.audit.item ?? { cluster: first.cluster, namespace: first.namespace, serviceAccount: first.serviceAccount, roleArn: first.roleArn ?? null };
    const subjects = subjectsOf(input.items);
    await auditRequest(tx, {
      actor: input.requester.login, event: "request.created", requestId: id, item, toState: "pending",
      details: { ...input.audit.details({ policy, more }), ...(subjects.length ? { subjects } : {}) },
    });
    if (input.system) {
      // Signed last, over every item and row the filing wrote.
      const version = await casTransition(tx, request, "approved", { decidedAt: at, autoApprovalSignature: await signAutoApproval(tx, id, at) });
      await auditRequest(tx, {
        actor: input.requester.login, event: "request.auto_approved", requestId: id, item, fromState: "pending", toState: "approved",
        details: { policy: input.system.policy, reason: input.system.reason, ...input.system.details },
      });
      await enqueueJob(tx, { queue: "apply-request", key: `apply:${id}:${version}`, payload: { requestId: id }, maxAttempts: 10 });
    }
    await queueNotification(tx, "created", id, input.notification);
    return true;
  });
  return filed ? { id, status: input.system ? "approved" : "pending", policy } : null;
}
