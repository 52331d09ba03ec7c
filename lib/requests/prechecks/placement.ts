import { placementOf } from "@/lib/inventory/placement";
import type { Precheck } from "./types";

/**
 * Pod Identity reaches the SA's pods: not on Fargate, Windows nodes, Outposts, connected clusters
 * (EKS Anywhere) or China regions. Such service accounts must stay on IRSA: the failure is blocking.
 */
export const placementPrecheck: Precheck = {
  id: "pod-identity-placement",
  run({ item, facts }) {
    if (item.kind === "delete" || !facts.placement) return null;
    const p = placementOf(facts.placement, item.namespace, item.serviceAccount);
    if (p.podIdentity === "unsupported") {
      return {
        status: "fail",
        message: `${item.namespace}/${item.serviceAccount} on ${item.cluster} cannot use EKS Pod Identity. ${p.reasons.join(" ")} Keep it on IRSA: annotate the service account with eks.amazonaws.com/role-arn and trust the cluster's OIDC issuer in the role.`,
        fix: { kind: "irsa", json: { mechanism: "irsa", serviceAccountAnnotation: { "eks.amazonaws.com/role-arn": item.roleArn ?? "<role ARN>" }, trust: "sts:AssumeRoleWithWebIdentity for the cluster's OIDC provider, :sub system:serviceaccount:" + `${item.namespace}:${item.serviceAccount}` } },
      };
    }
    if (p.podIdentity === "unknown") {
      return { status: "warn", message: p.reasons.length ? p.reasons.join(" ") : `Could not read where ${item.namespace}/${item.serviceAccount} runs (Kubernetes not reachable): Fargate and Windows nodes were not ruled out.` };
    }
    return { status: "pass", message: `${item.namespace}/${item.serviceAccount} runs on ${p.summary}: Pod Identity works there.` };
  },
};
