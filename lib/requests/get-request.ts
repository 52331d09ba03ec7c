// A request as the API and the detail page show it: items with their AWS call
// preview and results, reviews, and the timeline from the audit rows.
import type { PrismaClient } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/core/errors";
import { storedRequirements } from "./policies";
import { previewCall } from "./preview";

export async function getRequestView(prisma: PrismaClient, id: string) {
  const r = await prisma.request.findUnique({
    where: { id },
    include: {
      requester: { select: { id: true, login: true, name: true } },
      items: { orderBy: { position: "asc" } },
      reviews: { orderBy: { createdAt: "asc" }, include: { reviewer: { select: { login: true, name: true } } } },
      policyVersion: { select: { name: true, version: true } },
    },
  });
  if (!r) throw new DomainError("not_found", `There is no request ${id}.`);
  const audit = await prisma.auditEvent.findMany({ where: { subject: `request:${id}` }, orderBy: { id: "asc" } });
  const approvals = r.reviews.filter((v) => v.decision === "approve").length;
  const first = r.items[0];
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    version: r.version,
    justification: r.justification,
    requester: r.requester,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    expiresAt: r.expiresAt,
    decidedAt: r.decidedAt,
    finishedAt: r.finishedAt,
    // requirements: per approver role, how many approvals and which policy versions asked for them (null: built-in).
    policy: { name: r.policyVersion?.name ?? "built-in", version: r.policyVersion?.version ?? 0, requiredApprovals: r.requiredApprovals, approverRole: r.approverRole, requirements: storedRequirements(r) },
    approvals,
    prechecks: r.prechecks,
    prechecksAt: r.prechecksAt,
    association: first?.resultAssociationId
      ? { associationId: first.resultAssociationId, associationArn: first.resultAssociationArn, externalId: first.resultExternalId }
      : null,
    items: r.items.map((i) => ({
      id: i.id,
      position: i.position,
      kind: i.kind,
      cluster: i.cluster,
      accountId: i.accountId,
      region: i.region,
      namespace: i.namespace,
      serviceAccount: i.serviceAccount,
      roleArn: i.roleArn,
      targetRoleArn: i.targetRoleArn,
      disableSessionTags: i.disableSessionTags,
      sessionPolicy: i.sessionPolicy,
      mappingExpiresAt: i.mappingExpiresAt,
      associationId: i.associationId,
      /** update / delete: the association's role as AWS described it at filing (what the reviewers approve removing or changing). */
      subjectRoleArn: i.subjectRoleArn,
      /** IAM items: the inline policy name (node role) and the document the item writes. */
      iamPolicyName: i.iamPolicyName,
      iamPolicyDocument: i.iamPolicyDocument,
      status: i.status,
      attempts: i.attempts,
      outcome: i.outcome,
      result: i.resultAssociationId ? { associationId: i.resultAssociationId, associationArn: i.resultAssociationArn, externalId: i.resultExternalId } : null,
      error: i.lastErrorCode ? { code: i.lastErrorCode, message: i.lastErrorMessage } : null,
      awsRequestId: i.awsRequestId,
      awsCall: previewCall(i, r.id),
    })),
    reviews: r.reviews.map((v) => ({ reviewer: v.reviewer.login, decision: v.decision, comment: v.comment, overrideReason: v.overrideReason, at: v.createdAt })),
    timeline: audit.map((a) => ({ id: String(a.id), at: a.at, actor: a.actor, event: a.event, details: a.details })),
  };
}
export type RequestView = Awaited<ReturnType<typeof getRequestView>>;
