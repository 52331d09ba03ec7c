// "Adopt": files a request (kind create) whose one item of kind "adopt" records
// an existing association as managed by RoleGate. It goes through approval like
// any request; applying it makes no AWS write: the apply job only reads the
// association back and stores its id as the item's result (lib/requests/apply-item.ts).
import "server-only";
import { randomUUID } from "node:crypto";
import { auditRequest } from "@/lib/requests/audit";
import { now, type Actor, type RequestsDeps } from "@/lib/requests/deps";
import { queueNotification } from "@/lib/requests/notify";
import { choosePolicy } from "@/lib/requests/policies";
import { clientRequestToken } from "@/lib/requests/tokens";
import type { DriftFinding } from "./compute";
import { pendingRequestRow } from "@/lib/requests/pending-request-row";

export async function createAdoptRequest(deps: RequestsDeps, actor: Actor, finding: DriftFinding, justification: string): Promise<{ id: string; status: "pending" }> {
  const a = finding.actual;
  if (!a) throw new Error("adopt needs an association that exists in AWS");
  const item = {
    cluster: finding.cluster,
    accountId: finding.accountId,
    region: finding.region,
    namespace: finding.namespace,
    serviceAccount: finding.serviceAccount,
    roleArn: a.roleArn,
  };
  const policy = await choosePolicy(deps.prisma, [item]);
  const at = now(deps);
  const id = randomUUID();
  const itemId = randomUUID();
  await deps.prisma.$transaction(async (tx) => {
    await tx.request.create({
      data: {
        ...pendingRequestRow(deps, { id, kind: "create", requesterId: actor.id, justification, policy, at }),
        items: {
          create: {
            id: itemId,
            kind: "adopt",
            ...item,
            targetRoleArn: a.targetRoleArn,
            disableSessionTags: a.disableSessionTags,
            associationId: a.associationId,
            clientRequestToken: clientRequestToken(itemId),
          },
        },
      },
    });
    await auditRequest(tx, {
      actor: actor.login,
      event: "request.created",
      requestId: id,
      item,
      toState: "pending",
      details: { kind: "create", adopt: true, drift: finding.kind, associationId: a.associationId, items: 1, requiredApprovals: policy.requiredApprovals },
    });
    await queueNotification(tx, "created", id, `${actor.login} asks to adopt ${item.namespace}/${item.serviceAccount} on ${item.cluster} -> ${a.roleArn} (association ${a.associationId}, created outside RoleGate)`);
  });
  return { id, status: "pending" };
}
