// "Adopt": files a request (kind create) whose one item of kind "adopt" records
// an existing association as managed by RoleGate. It goes through approval like
// any request; applying it makes no AWS write: the apply job only reads the
// association back and stores its id as the item's result (lib/requests/apply-item.ts).
import { fileRequest, type Actor, type RequestsDeps } from "@/lib/requests";
import type { DriftFinding } from "./compute";

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
  const { id } = await fileRequest(deps, {
    kind: "create",
    requester: actor,
    justification,
    items: [{ kind: "adopt", ...item, targetRoleArn: a.targetRoleArn, disableSessionTags: a.disableSessionTags, associationId: a.associationId }],
    audit: {
      details: ({ policy }) => ({ kind: "create", adopt: true, drift: finding.kind, associationId: a.associationId, items: 1, requiredApprovals: policy.requiredApprovals }),
    },
    notification: `${actor.login} asks to adopt ${item.namespace}/${item.serviceAccount} on ${item.cluster} -> ${a.roleArn} (association ${a.associationId}, created outside RoleGate)`,
  });
  return { id, status: "pending" };
}
