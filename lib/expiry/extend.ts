// Extending a time-bound mapping: the original request's requester files a
// request with one "extend-expiry" item (the association, the new expiry). It is
// approval-gated like any request; once approved, the job runner applies it by
// moving the original item's mappingExpiresAt (CAS: only while the mapping is
// not revoked and still has the expiry the extension was filed against), with
// an audit event in that transaction. No AWS write: the expiry is RoleGate's.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { PrismaClient } from "@/lib/db/generated/client";
import { registerItemApplier } from "@/lib/requests/apply-item";
import { auditRequest } from "@/lib/requests/audit";
import { now, type Actor, type RequestsDeps } from "@/lib/requests/deps";
import { queueNotification } from "@/lib/requests/notify";
import { choosePolicy } from "@/lib/requests/policies";
import { clientRequestToken } from "@/lib/requests/tokens";
import { requestTtlMs } from "@/lib/requests/ttl";

const EXTEND_ITEM_KIND = "extend-expiry";
/** An extension moves the expiry at most this far from now. */
const MAX_EXTENSION_DAYS = 90;

export const extensionSchema = z.object({
  itemId: z.string().uuid("must be a request item id"),
  newExpiresAt: z.coerce.date(),
  justification: z.string().trim().min(10, "explain why in at least 10 characters").max(2000),
});
type ExtensionInput = z.infer<typeof extensionSchema>;

/** Time-bound mappings still in force (applied, not revoked), optionally only one requester's. */
export async function timeBoundMappings(prisma: PrismaClient, requesterId?: string) {
  return prisma.requestItem.findMany({
    where: { mappingExpiresAt: { not: null }, revocationRequestId: null, status: "applied", kind: { in: ["create", "update"] }, resultAssociationId: { not: null }, ...(requesterId ? { request: { requesterId } } : {}) },
    include: { request: { select: { id: true, requesterId: true, requester: { select: { login: true } } } } },
    orderBy: { mappingExpiresAt: "asc" },
  });
}

export async function requestExtension(deps: Pick<RequestsDeps, "prisma" | "now" | "pendingTtlMs">, actor: Actor, input: ExtensionInput): Promise<{ id: string; status: string }> {
  const at = now(deps);
  const original = await deps.prisma.requestItem.findUnique({ where: { id: input.itemId }, include: { request: true } });
  if (!original || original.status !== "applied" || !original.mappingExpiresAt || !["create", "update"].includes(original.kind)) {
    throw new DomainError("not_found", `No time-bound mapping ${input.itemId}: it may have been revoked already.`);
  }
  if (original.request.requesterId !== actor.id) throw new DomainError("forbidden", "Only the requester of the mapping may ask to extend it.");
  if (original.revocationRequestId || original.mappingExpiresAt <= at) throw new DomainError("conflict", `The mapping expired at ${original.mappingExpiresAt.toISOString()} and is being revoked: file a new request instead.`);
  if (input.newExpiresAt <= original.mappingExpiresAt) throw new DomainError("invalid", `The new expiry must be later than the current one (${original.mappingExpiresAt.toISOString()}).`);
  if (input.newExpiresAt.getTime() > at.getTime() + MAX_EXTENSION_DAYS * 86400_000) throw new DomainError("invalid", `An extension may reach at most ${MAX_EXTENSION_DAYS} days from now.`);
  const open = await deps.prisma.requestItem.findFirst({ where: { kind: EXTEND_ITEM_KIND, associationId: original.resultAssociationId, request: { status: { in: ["pending", "approved", "applying"] } } } });
  if (open) throw new DomainError("conflict", `An extension of this mapping is already open: request ${open.requestId}.`);

  const item = { cluster: original.cluster, namespace: original.namespace, serviceAccount: original.serviceAccount, roleArn: original.roleArn };
  const policy = await choosePolicy(deps.prisma, [{ cluster: item.cluster, namespace: item.namespace, roleArn: item.roleArn ?? "*" }]);
  const id = randomUUID();
  const itemId = randomUUID();
  await deps.prisma.$transaction(async (tx) => {
    await tx.request.create({
      data: {
        id, kind: "update", requesterId: actor.id,
        justification: `[extend-expiry ${original.id}] ${input.justification}`,
        policyVersionId: policy.policyVersionId, requiredApprovals: Math.max(1, policy.requiredApprovals), approverRole: policy.approverRole,
        prechecks: [{ id: "mapping-in-force", item: 0, status: "pass", message: `Mapping of request ${original.requestId} in force until ${original.mappingExpiresAt!.toISOString()}; extension to ${input.newExpiresAt.toISOString()}.` }],
        prechecksAt: at, expiresAt: new Date(Math.min(at.getTime() + (deps.pendingTtlMs ?? requestTtlMs()), original.mappingExpiresAt!.getTime())), createdAt: at,
      },
    });
    await tx.requestItem.create({
      data: {
        id: itemId, requestId: id, position: 0, kind: EXTEND_ITEM_KIND, cluster: original.cluster, accountId: original.accountId, region: original.region,
        namespace: original.namespace, serviceAccount: original.serviceAccount, roleArn: original.roleArn, targetRoleArn: original.targetRoleArn,
        associationId: original.resultAssociationId, mappingExpiresAt: input.newExpiresAt, clientRequestToken: clientRequestToken(itemId),
        // The extended item, named where an IAM item names its policy (no IAM write for this kind).
        iamPolicyName: original.id,
      },
    });
    await auditRequest(tx, {
      actor: actor.login, event: "request.created", requestId: id, item, toState: "pending",
      details: { kind: EXTEND_ITEM_KIND, extends: original.requestId, extendsItem: original.id, from: original.mappingExpiresAt!.toISOString(), to: input.newExpiresAt.toISOString() },
    });
    await queueNotification(tx, "created", id, `${actor.login} asks to extend ${item.namespace}/${item.serviceAccount} on ${item.cluster} until ${input.newExpiresAt.toISOString()}`);
  });
  return { id, status: "pending" };
}

/** Lets the job runner apply approved extensions (call where the runner starts). */
export function registerExtensionApplier(prisma: PrismaClient, clock: () => Date = () => new Date()): void {
  registerItemApplier(EXTEND_ITEM_KIND, async (_location, item) => {
    const originalId = item.iamPolicyName!;
    return prisma.$transaction(async (tx) => {
      const original = await tx.requestItem.findUnique({ where: { id: originalId } });
      if (!original?.mappingExpiresAt) return { ok: false, errorCode: "NotTimeBound", errorMessage: `Request item ${originalId} is not a time-bound mapping.` };
      if (original.mappingExpiresAt.getTime() === item.mappingExpiresAt!.getTime()) return { ok: true, outcome: "updated" as const, associationId: original.resultAssociationId ?? undefined };
      const moved = await tx.requestItem.updateMany({
        where: { id: originalId, revocationRequestId: null, status: "applied", mappingExpiresAt: { gt: clock() } },
        data: { mappingExpiresAt: item.mappingExpiresAt },
      });
      if (moved.count !== 1) return { ok: false, errorCode: "AlreadyRevoked", errorMessage: "The mapping expired or was revoked before the extension applied: file a new request." };
      await recordAudit(tx, {
        actor: "system", event: "mapping.expiry_extended", subject: `request:${original.requestId}`, requestId: item.requestId,
        cluster: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, roleArn: item.roleArn ?? undefined,
        details: { extendedItem: original.id, from: original.mappingExpiresAt.toISOString(), to: item.mappingExpiresAt!.toISOString() },
      });
      return { ok: true, outcome: "updated" as const, associationId: original.resultAssociationId ?? undefined };
    });
  });
}
