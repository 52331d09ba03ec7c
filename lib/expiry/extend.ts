// Extending a time-bound mapping: the original request's requester files a
// request with one "extend-expiry" item (the association, the new expiry). It is
// approval-gated like any request; once approved, the job runner applies it by
// moving the original item's mappingExpiresAt (CAS: only while the mapping is
// not revoked and still has the expiry the extension was filed against), with
// an audit event in that transaction. No AWS write: the expiry is RoleGate's.
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { can, type Role } from "@/lib/auth/permissions";
import type { PrismaClient } from "@/lib/db/generated/client";
import { fileRequest, type Actor, type FilingDeps, type ItemKind, type ItemKinds } from "@/lib/requests";

const EXTEND_ITEM_KIND = "extend-expiry";
/** An extension moves the expiry at most this far from now. */
const MAX_EXTENSION_DAYS = 90;

export const extensionSchema = z.object({
  itemId: z.string().uuid("must be a request item id"),
  newExpiresAt: z.coerce.date(),
  justification: z.string().trim().min(10, "explain why in at least 10 characters").max(2000),
});
type ExtensionInput = z.infer<typeof extensionSchema>;

/** Whose time-bound mappings a caller sees (as on /expiry): a requester only their own (their id), every other role all (undefined). */
export function expiryScope(user: { id: string; role: Role }): string | undefined {
  return user.role === "requester" ? user.id : undefined;
}

/** Whether a caller may ask to extend a mapping: only the requester of its request, with a role that may file. */
export function mayExtend(user: { id: string; role: Role }, requesterId: string): boolean {
  return requesterId === user.id && can(user.role, "requests:create");
}

/** Time-bound mappings still in force (applied, not revoked; items of the registry's time-bound kinds), optionally only one requester's. */
export async function timeBoundMappings(prisma: PrismaClient, kinds: Pick<ItemKinds, "select">, requesterId?: string) {
  return prisma.requestItem.findMany({
    where: { mappingExpiresAt: { not: null }, revocationRequestId: null, status: "applied", kind: { in: kinds.select((k) => !!k.timeBound) }, resultAssociationId: { not: null }, ...(requesterId ? { request: { requesterId } } : {}) },
    include: { request: { select: { id: true, requesterId: true, requester: { select: { login: true } } } } },
    orderBy: { mappingExpiresAt: "asc" },
  });
}

export async function requestExtension(deps: FilingDeps, actor: Actor, input: ExtensionInput): Promise<{ id: string; status: string }> {
  const at = deps.now ? deps.now() : new Date();
  const original = await deps.prisma.requestItem.findUnique({ where: { id: input.itemId }, include: { request: true } });
  if (!original || original.status !== "applied" || !original.mappingExpiresAt || !deps.kinds.get(original.kind)?.timeBound) {
    throw new DomainError("not_found", `No time-bound mapping ${input.itemId}: it may have been revoked already.`);
  }
  if (original.request.requesterId !== actor.id) throw new DomainError("forbidden", "Only the requester of the mapping may ask to extend it.");
  if (original.revocationRequestId || original.mappingExpiresAt <= at) throw new DomainError("conflict", `The mapping expired at ${original.mappingExpiresAt.toISOString()} and is being revoked: file a new request instead.`);
  if (input.newExpiresAt <= original.mappingExpiresAt) throw new DomainError("invalid", `The new expiry must be later than the current one (${original.mappingExpiresAt.toISOString()}).`);
  if (input.newExpiresAt.getTime() > at.getTime() + MAX_EXTENSION_DAYS * 86400_000) throw new DomainError("invalid", `An extension may reach at most ${MAX_EXTENSION_DAYS} days from now.`);
  const open = await deps.prisma.requestItem.findFirst({ where: { kind: EXTEND_ITEM_KIND, associationId: original.resultAssociationId, request: { status: { in: ["pending", "approved", "applying"] } } } });
  if (open) throw new DomainError("conflict", `An extension of this mapping is already open: request ${open.requestId}.`);

  const item = { cluster: original.cluster, namespace: original.namespace, serviceAccount: original.serviceAccount, roleArn: original.roleArn };
  const { id } = await fileRequest(deps, {
    kind: "update",
    requester: actor,
    justification: `[extend-expiry ${original.id}] ${input.justification}`,
    policyFor: [{ accountId: original.accountId, region: original.region, cluster: item.cluster, namespace: item.namespace, roleArn: item.roleArn ?? "*" }],
    prechecks: [{ id: "mapping-in-force", item: 0, status: "pass", message: `Mapping of request ${original.requestId} in force until ${original.mappingExpiresAt!.toISOString()}; extension to ${input.newExpiresAt.toISOString()}.` }],
    // Pending no longer than the mapping it extends.
    pendingUntil: original.mappingExpiresAt,
    items: [
      {
        kind: EXTEND_ITEM_KIND, cluster: original.cluster, accountId: original.accountId, region: original.region,
        namespace: original.namespace, serviceAccount: original.serviceAccount, roleArn: original.roleArn, targetRoleArn: original.targetRoleArn,
        associationId: original.resultAssociationId, mappingExpiresAt: input.newExpiresAt,
        // The extended item, named where an IAM item names its policy (no IAM write for this kind).
        iamPolicyName: original.id,
      },
    ],
    audit: {
      item,
      details: () => ({ kind: EXTEND_ITEM_KIND, extends: original.requestId, extendsItem: original.id, from: original.mappingExpiresAt!.toISOString(), to: input.newExpiresAt.toISOString() }),
    },
    notification: `${actor.login} asks to extend ${item.namespace}/${item.serviceAccount} on ${item.cluster} until ${input.newExpiresAt.toISOString()}`,
  });
  return { id, status: "pending" };
}

/** The "extend-expiry" item kind: no association prechecks; at least one approval under the request's policy; applied by moving the expiry. */
export function extensionItemKind(clock: () => Date = () => new Date()): ItemKind {
  return {
    kind: EXTEND_ITEM_KIND,
    prechecks: "none",
    approval: "at-least-one",
    async apply({ prisma }, _location, item) {
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
    },
  };
}
