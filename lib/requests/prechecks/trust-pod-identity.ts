// The role's trust policy lets EKS Pod Identity assume it (with sts:TagSession
// unless session tags are disabled), evaluated by lib/trust. On failure the fix
// is the trust policy with a Pod Identity statement added.
import { ASSUME_ROLE, canAssume, PODS_SERVICE, TAG_SESSION } from "@/lib/trust";
import type { Precheck } from "./types";

export function fixedTrustPolicy(current: string, sourceAccount: string, sessionTags: boolean): unknown {
  let doc: { Version?: string; Statement?: unknown } = {};
  try {
    doc = JSON.parse(current);
  } catch {
    /* replace an unreadable policy */
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return {
    Version: doc.Version ?? "2012-10-17",
    Statement: [
      ...statements,
      {
        Sid: "AllowEksPodIdentity",
        Effect: "Allow",
        Principal: { Service: PODS_SERVICE },
        Action: sessionTags ? [ASSUME_ROLE, TAG_SESSION] : [ASSUME_ROLE],
        Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } },
      },
    ],
  };
}

export const trustPodIdentityPrecheck: Precheck = {
  id: "trust-allows-pod-identity",
  run({ item, facts }) {
    if (item.kind === "delete" || !facts.role) return null;
    const sessionTags = !item.disableSessionTags;
    try {
      const result = canAssume(facts.role.trustPolicy, {
        mechanism: "pod-identity",
        namespace: item.namespace,
        serviceAccount: item.serviceAccount,
        clusterArn: facts.cluster?.arn,
        sourceAccount: facts.cluster?.arn ? undefined : item.accountId,
        sessionTags,
      });
      if (result.allowed) {
        return { status: "pass", message: `The trust policy of ${facts.role.name} allows Pod Identity${sessionTags ? " with sts:TagSession" : ""}.` };
      }
      return {
        status: "fail",
        message: `The trust policy of ${facts.role.name} does not let ${item.namespace}/${item.serviceAccount} assume it via Pod Identity: ${result.reason}. The IAM team can apply the trust policy below.`,
        fix: { kind: "trust-policy", json: fixedTrustPolicy(facts.role.trustPolicy, item.accountId, sessionTags) },
      };
    } catch (e) {
      return { status: "fail", message: `Cannot evaluate the trust policy of ${facts.role.name}: ${(e as Error).message}` };
    }
  },
};
