// The apply job's body: approved -> applying (CAS), each not-yet-applied item sent
// to AWS and its result stored with an audit row, then applying -> applied | failed.
// Runs again safely after a crash: the request is already "applying", applied
// items are skipped, and the rest reuse their idempotency tokens.
// First, every time, the approval is verified (./approval-signatures.ts): the status
// column is only a claim anyone with the database's credentials can write. Without
// signed approvals that meet what the request needs, over its items as they are
// now, it fails with request.apply_refused_unsigned and nothing is sent anywhere.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { Target } from "@/lib/config/schema";
import type { PrismaClient, Request, RequestItem } from "@/lib/db/generated/client";
import { cacheAppliedAssociation } from "@/lib/inventory/association-cache";
import { appliedAssociation } from "./applied-association";
import { verifyApproval } from "./approval-signatures";
import { approvalValidMs } from "./approval-validity";
import { applyItem, DEFAULT_BACKOFF, type BackoffOptions, type ItemOutcome } from "./apply-item";
import type { ItemKinds } from "./item-kinds";
import { auditRequest } from "./audit";
import { queueNotification } from "./notify";
import type { PlacementKube } from "./prechecks/types";
import { blockingFailure, checkStoredItems, locationOf, storePrechecks } from "./refresh-prechecks";
import { casTransition } from "./transition";
import { outsideTargetsMessage, targetFor } from "./targets";

export interface ApplyDeps {
  prisma: PrismaClient;
  aws: RequestsGateway;
  targets: Target[];
  kinds: ItemKinds;
  backoff?: BackoffOptions;
  now?: () => Date;
  /** Kubernetes reads for the placement prechecks re-run at apply time. */
  kube?: PlacementKube;
  /** How old an approval may be when applied (default ROLEGATE_APPROVAL_VALID_HOURS, 72 h). */
  approvalValidMs?: number;
}

/** The approval does not verify: the request fails, its open items with it, and nothing is sent to AWS. */
async function refuseUnverified(deps: ApplyDeps, request: Request, items: RequestItem[], reason: string): Promise<"failed"> {
  const message = `The approval of this request could not be verified (${reason}): nothing was sent to AWS. The request may have been changed outside RoleGate; file it again for a fresh review.`;
  await deps.prisma.$transaction(async (tx) => {
    await casTransition(tx, request, "failed", { finishedAt: new Date() });
    await tx.requestItem.updateMany({ where: { requestId: request.id, status: { not: "applied" } }, data: { status: "failed", lastErrorCode: "ApprovalUnverified", lastErrorMessage: message } });
    await auditRequest(tx, { actor: "system", event: "request.apply_refused_unsigned", requestId: request.id, item: items[0] ?? null, fromState: request.status, toState: "failed", details: { reason } });
    await queueNotification(tx, "failed", request.id, `Request ${request.id} was not applied: its approval could not be verified (${reason}).`);
  });
  return "failed";
}

/** Prechecks again, right before the association calls; stored; blocking failures by item position. */
async function applyTimePrechecks(deps: ApplyDeps, requestId: string, items: RequestItem[]): Promise<Map<number, string>> {
  const results = await checkStoredItems(deps.aws, deps.kinds, deps.targets, items, deps.kube);
  // Nothing re-checked (no association item): the prechecks stored at filing stay.
  if (!items.some((i) => deps.kinds.runsAssociationPrechecks(i.kind))) return new Map();
  await storePrechecks(deps.prisma, requestId, results, deps.now ? deps.now() : new Date());
  const blocked = new Map<number, string>();
  for (const item of items) {
    const reason = item.status === "applied" ? null : blockingFailure(results.filter((r) => r.item === item.position));
    if (reason) blocked.set(item.position, reason);
  }
  return blocked;
}

export async function applyRequest(deps: ApplyDeps, requestId: string): Promise<"applied" | "failed" | "skipped"> {
  const { prisma } = deps;
  let request = await prisma.request.findUnique({ where: { id: requestId } });
  if (!request || (request.status !== "approved" && request.status !== "applying")) return "skipped";
  const approval = await verifyApproval(prisma, requestId, { kinds: deps.kinds, at: deps.now?.() ?? new Date(), validMs: deps.approvalValidMs ?? approvalValidMs() });
  if (!approval.ok) return refuseUnverified(deps, request, approval.items, approval.reason);
  if (request.status === "approved") {
    await prisma.$transaction(async (tx) => {
      await casTransition(tx, request!, "applying");
      await auditRequest(tx, { actor: "system", event: "request.apply_started", requestId, fromState: "approved", toState: "applying" });
    });
    request = await prisma.request.findUniqueOrThrow({ where: { id: requestId } });
  }
  if (request.status !== "applying") return "skipped";

  // The items just verified: what is applied is what was signed.
  const all = approval.items;
  // IAM changes first: the association items' prechecks depend on them.
  const first = (i: RequestItem) => deps.kinds.appliedFirst(i.kind);
  const items = [...all.filter(first), ...all.filter((i) => !first(i))];
  let blocked: Map<number, string> | undefined;
  for (const item of items) {
    if (item.status === "applied") continue;
    if (!first(item)) {
      // An IAM item that failed leaves the association items for a retry.
      if (items.some((i) => first(i) && i.status !== "applied")) break;
      blocked ??= await applyTimePrechecks(deps, requestId, all);
    }
    await prisma.requestItem.update({ where: { id: item.id }, data: { status: "applying" } });
    const location = locationOf(deps.targets, item);
    const reason = blocked?.get(item.position);
    // Outside the watched estate (targets changed since filing, or a module filed it): never sent with the base credentials.
    const outside = targetFor(deps.targets, item) ? null : outsideTargetsMessage(deps.targets, item);
    const r: ItemOutcome = outside
      ? { ok: false, errorCode: "OutsideTargets", errorMessage: `Not sent to AWS: ${outside}.`, attempts: 0 }
      : reason
      ? { ok: false, errorCode: "PrecheckFailed", errorMessage: `Not sent to AWS: a blocking precheck fails now. ${reason}`, attempts: 0 }
      : await applyItem(deps, deps.kinds, location, item, deps.backoff ?? DEFAULT_BACKOFF);
    item.status = r.ok ? "applied" : "failed";
    const applied = await appliedAssociation(deps.aws, location, item, r);
    await prisma.$transaction(async (tx) => {
      if (applied) await cacheAppliedAssociation(tx, applied, deps.now?.() ?? new Date());
      await tx.requestItem.update({
        where: { id: item.id },
        data: {
          status: r.ok ? "applied" : "failed",
          attempts: { increment: r.attempts },
          outcome: r.outcome ?? null,
          resultAssociationId: r.associationId ?? item.resultAssociationId,
          resultAssociationArn: r.associationArn ?? item.resultAssociationArn,
          resultExternalId: r.externalId ?? item.resultExternalId,
          awsRequestId: r.awsRequestId ?? null,
          lastErrorCode: r.ok ? null : r.errorCode ?? null,
          lastErrorMessage: r.ok ? null : r.errorMessage ?? null,
          appliedAt: r.ok ? new Date() : null,
        },
      });
      await auditRequest(tx, {
        actor: "system",
        event: r.ok ? "request.item_applied" : "request.item_failed",
        requestId,
        item,
        awsRequestId: r.awsRequestId,
        details: { itemId: item.id, kind: item.kind, outcome: r.outcome ?? null, associationId: r.associationId ?? null, error: r.ok ? null : `${r.errorCode}: ${r.errorMessage}`, attempts: r.attempts, ...(reason ? { blockedByPrechecks: true } : {}) },
      });
    });
  }

  const after = await prisma.requestItem.findMany({ where: { requestId }, orderBy: { position: "asc" } });
  const failed = after.filter((i) => i.status !== "applied");
  const to = failed.length ? "failed" : "applied";
  await prisma.$transaction(async (tx) => {
    const current = await tx.request.findUniqueOrThrow({ where: { id: requestId } });
    await casTransition(tx, current, to, { finishedAt: new Date() });
    await auditRequest(tx, {
      actor: "system",
      event: to === "applied" ? "request.applied" : "request.failed",
      requestId,
      item: after[0] ?? null,
      fromState: "applying",
      toState: to,
      awsRequestId: after[0]?.awsRequestId ?? undefined,
      details: { items: after.length, failed: failed.length, ...(failed[0] ? { error: `${failed[0].lastErrorCode}: ${failed[0].lastErrorMessage}` } : {}) },
    });
    const what = after.map((i) => `${i.namespace}/${i.serviceAccount} on ${i.cluster}`).join(", ");
    await queueNotification(tx, to, requestId, to === "applied" ? `Applied request ${requestId}: ${what}` : `Request ${requestId} failed: ${failed[0]?.lastErrorMessage ?? "see RoleGate"}`);
  });
  return to;
}
