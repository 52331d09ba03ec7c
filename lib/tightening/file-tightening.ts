// Files the tightened trust of one role as ONE "iam-trust-update" item (the IAM
// team approves it, lib/requests item kinds). The document is recomputed from
// the trust as IAM has it now, and the item carries that trust's hash: apply
// refuses to overwrite a trust edited since (lib/requests/trust-guard.ts).
import { DomainError } from "@/lib/core/errors";
import { fileRequest, type Actor, type RequestsDeps } from "@/lib/requests";
import { previewTightenedTrust } from "./preview";

export const TIGHTEN_TAG = "[tighten-trust]";

export async function fileTightenedTrust(deps: RequestsDeps, actor: Actor, input: { roleArn: string; justification?: string }) {
  const plan = await previewTightenedTrust(deps, input.roleArn);
  if (plan.problem || !plan.proposed) throw new DomainError("conflict", `Tightened trust not filed: ${plan.problem}`);
  const open = await deps.prisma.requestItem.findFirst({
    where: { kind: "iam-trust-update", roleArn: input.roleArn, request: { justification: { startsWith: TIGHTEN_TAG }, status: { in: ["pending", "changes_requested", "approved", "applying"] } } },
  });
  if (open) throw new DomainError("conflict", `A tightened trust for ${input.roleArn} is already open: request ${open.requestId}.`);
  const first = plan.impact[0]!;
  const cluster = await deps.prisma.cluster.findFirstOrThrow({ where: { name: first.cluster, accountId: first.clusterArn.split(":")[4] } });
  const breaks = plan.impact.filter((i) => i.outcome === "breaks");
  const item = { cluster: cluster.name, namespace: "*", serviceAccount: "*", roleArn: input.roleArn };
  const { id } = await fileRequest(deps, {
    kind: "batch",
    requester: actor,
    justification: `${TIGHTEN_TAG} ${input.justification ?? `Limit ${input.roleArn} to the ${plan.impact.length} association(s) that use it.`}`,
    items: [{ kind: "iam-trust-update", ...item, accountId: cluster.accountId, region: cluster.region, iamPolicyName: null, iamPolicyDocument: plan.proposed, iamBaseHash: plan.baseHash }],
    // The reviewer sees what would break as a stored check of the request.
    prechecks: [
      {
        id: "tightened-trust-impact",
        item: 0,
        status: breaks.length ? "warn" : "pass",
        message: breaks.length
          ? `${breaks.length} association(s) would break: ${breaks.map((b) => `${b.cluster}/${b.namespace}/${b.serviceAccount} (${b.reason})`).join("; ")}.`
          : `Every one of the ${plan.impact.length} association(s) using the role keeps working.`,
      },
    ],
    audit: {
      item,
      details: ({ policy }) => ({
        kind: "batch",
        tightenTrust: input.roleArn,
        iamItems: [`iam-trust-update ${input.roleArn}`],
        keeps: plan.impact.filter((i) => i.outcome === "keeps").length,
        breaks: breaks.map((b) => `${b.cluster}/${b.namespace}/${b.serviceAccount}`),
        requiredApprovals: policy.requiredApprovals,
      }),
    },
    notification: `${actor.login} asks to tighten the Pod Identity trust of ${input.roleArn}`,
  });
  return { id, status: "pending" as const, breaks: breaks.length };
}
