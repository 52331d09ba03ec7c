// Files a request: resolve where each cluster lives, run the prechecks, pin the
// approval policy, then write request + items + audit + notification in one transaction.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { auditRequest } from "./audit";
import { now, type Actor, type RequestsDeps } from "./deps";
import { itemsOf, type CreateRequestInput } from "./input";
import { queueNotification } from "./notify";
import { choosePolicy } from "./policies";
import { runPrechecks, type PrecheckResult } from "./prechecks";
import { resolveLocation } from "./location";
import { clientRequestToken } from "./tokens";

export const DEFAULT_PENDING_TTL_MS = 7 * 24 * 3600_000;

export async function checkItems(deps: RequestsDeps, input: CreateRequestInput) {
  const items = itemsOf(input);
  const located = await Promise.all(
    items.map(async (item, i) => {
      const location = await resolveLocation(deps.prisma, deps.targets, item, input.kind === "batch" ? `items.${i}.cluster` : "cluster");
      return { item: { ...item, accountId: location.accountId, region: location.region }, location };
    }),
  );
  const checked = await runPrechecks(deps.aws, located);
  return { located, checked, prechecks: checked.flatMap((c) => c.results) };
}

export async function createRequest(deps: RequestsDeps, actor: Actor, input: CreateRequestInput): Promise<{ id: string; status: string; prechecks: PrecheckResult[] }> {
  const { located, checked, prechecks } = await checkItems(deps, input);
  const policy = await choosePolicy(deps.prisma, located.map((l) => l.item));
  const at = now(deps);
  const id = randomUUID();
  await deps.prisma.$transaction(async (tx) => {
    await tx.request.create({
      data: {
        id,
        kind: input.kind,
        requesterId: actor.id,
        justification: input.justification,
        policyVersionId: policy.policyVersionId,
        requiredApprovals: policy.requiredApprovals,
        approverRole: policy.approverRole,
        prechecks: prechecks as unknown as Prisma.InputJsonValue,
        expiresAt: new Date(at.getTime() + (deps.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS)),
        createdAt: at,
      },
    });
    for (const [position, { item }] of located.entries()) {
      const itemId = randomUUID();
      // update/delete target the association the prechecks found when none was named.
      const associationId = item.associationId ?? (item.kind !== "create" ? checked[position]!.facts.association?.associationId : undefined);
      await tx.requestItem.create({
        data: {
          id: itemId,
          requestId: id,
          position,
          kind: item.kind,
          cluster: item.cluster,
          accountId: item.accountId,
          region: item.region,
          namespace: item.namespace,
          serviceAccount: item.serviceAccount,
          roleArn: item.roleArn ?? null,
          targetRoleArn: item.targetRoleArn ?? null,
          disableSessionTags: item.disableSessionTags,
          sessionPolicy: item.sessionPolicy ?? null,
          tags: item.tags,
          mappingExpiresAt: item.mappingExpiresAt ?? null,
          associationId: associationId ?? null,
          clientRequestToken: clientRequestToken(itemId),
        },
      });
    }
    const first = located[0]!.item;
    await auditRequest(tx, {
      actor: actor.login,
      event: "request.created",
      requestId: id,
      item: { ...first, roleArn: first.roleArn ?? null },
      toState: "pending",
      details: { kind: input.kind, items: located.length, requiredApprovals: policy.requiredApprovals, failedPrechecks: prechecks.filter((p) => p.status === "fail").map((p) => p.id) },
    });
    await queueNotification(tx, "created", id, `${actor.login} requested ${input.kind} ${first.namespace}/${first.serviceAccount} on ${first.cluster}${first.roleArn ? ` -> ${first.roleArn}` : ""}`);
  });
  return { id, status: "pending", prechecks };
}
