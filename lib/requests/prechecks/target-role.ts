// Cross-account chaining: the target role must trust the source role, with the
// association's external id. The id exists only after creation, so before it we warn.
import type { Precheck } from "./types";

type Statement = { Effect?: string; Principal?: unknown; Action?: unknown; Condition?: Record<string, Record<string, unknown>> };

function trustsPrincipal(policy: string, principalArn: string): Statement | undefined {
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = JSON.parse(policy);
  } catch {
    return undefined;
  }
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const account = principalArn.split(":")[4];
  return list.find((s) => {
    if (s.Effect !== "Allow") return false;
    const aws = (s.Principal as { AWS?: string | string[] } | undefined)?.AWS;
    const principals = Array.isArray(aws) ? aws : aws ? [aws] : [];
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    return (
      principals.some((p) => p === principalArn || p === `arn:aws:iam::${account}:root` || p === account) &&
      actions.some((a) => typeof a === "string" && /^sts:(AssumeRole|\*)$|^\*$/i.test(a))
    );
  });
}

export const targetRolePrecheck: Precheck = {
  id: "target-role-trusts-source",
  run({ item, facts }) {
    if (item.kind === "delete" || !item.targetRoleArn || !item.roleArn) return null;
    if (facts.targetRole === null) return { status: "fail", message: `Target role ${item.targetRoleArn} does not exist.` };
    const fix = {
      kind: "trust-policy",
      json: {
        Sid: "AllowRoleGateChain",
        Effect: "Allow",
        Principal: { AWS: item.roleArn },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "sts:ExternalId": "<externalId returned by CreatePodIdentityAssociation>" } },
      },
    };
    if (facts.targetRole === undefined) {
      return { status: "warn", message: `Could not read target role ${item.targetRoleArn} (another account): make sure it trusts ${item.roleArn} with the association's external id.`, fix };
    }
    const st = trustsPrincipal(facts.targetRole.trustPolicy, item.roleArn);
    if (!st) return { status: "fail", message: `Target role ${facts.targetRole.name} does not trust ${item.roleArn}.`, fix };
    return {
      status: "warn",
      message: `Target role ${facts.targetRole.name} trusts ${item.roleArn}; its sts:ExternalId condition can only be checked once the association exists (the id is issued at creation).`,
      fix,
    };
  },
};
