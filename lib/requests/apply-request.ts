// The apply job's body: approved -> applying (CAS), each not-yet-applied item sent
// to AWS and its result stored with an audit row, then applying -> applied | failed.
// Runs again safely after a crash: the request is already "applying", applied
// items are skipped, and the rest reuse their idempotency tokens.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { Target } from "@/lib/config/schema";
import type { PrismaClient } from "@/lib/db/generated/client";
import { applyItem, DEFAULT_BACKOFF, type BackoffOptions } from "./apply-item";
import { auditRequest } from "./audit";
import { queueNotification } from "./notify";
import { casTransition } from "./transition";

export interface ApplyDeps {
  prisma: PrismaClient;
  aws: RequestsGateway;
  targets: Target[];
  backoff?: BackoffOptions;
}

export async function applyRequest(deps: ApplyDeps, requestId: string): Promise<"applied" | "failed" | "skipped"> {
  const { prisma } = deps;
  let request = await prisma.request.findUnique({ where: { id: requestId } });
  if (!request) return "skipped";
  if (request.status === "approved") {
    await prisma.$transaction(async (tx) => {
      await casTransition(tx, request!, "applying");
      await auditRequest(tx, { actor: "system", event: "request.apply_started", requestId, fromState: "approved", toState: "applying" });
    });
    request = await prisma.request.findUniqueOrThrow({ where: { id: requestId } });
  }
  if (request.status !== "applying") return "skipped";

  const items = await prisma.requestItem.findMany({ where: { requestId }, orderBy: { position: "asc" } });
  for (const item of items) {
    if (item.status === "applied") continue;
    await prisma.requestItem.update({ where: { id: item.id }, data: { status: "applying" } });
    const target = deps.targets.find((t) => t.accountId === item.accountId && t.region === item.region) ?? deps.targets.find((t) => t.accountId === item.accountId);
    const location = { accountId: item.accountId, region: item.region, ...(target?.assumeRoleArn ? { assumeRoleArn: target.assumeRoleArn } : {}) };
    const r = await applyItem(deps.aws, location, item, deps.backoff ?? DEFAULT_BACKOFF);
    await prisma.$transaction(async (tx) => {
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
        details: { itemId: item.id, kind: item.kind, outcome: r.outcome ?? null, associationId: r.associationId ?? null, error: r.ok ? null : `${r.errorCode}: ${r.errorMessage}`, attempts: r.attempts },
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
