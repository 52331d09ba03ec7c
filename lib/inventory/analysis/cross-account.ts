// Cross-account role chaining (association targetRoleArn): the target role's
// trust must let the source role call sts:AssumeRole (+ sts:TagSession when
// session tags are on) with sts:ExternalId = the association's external id.
// lib/trust models only IRSA and Pod Identity callers, so this is a small
// evaluator for an AWS principal, built on lib/trust's statement helpers.
import { RequestContext, actionCovered, arnMatches, evaluateClause, type PolicyStatement, type TrustPolicy } from "@/lib/trust";
import { accountOfArn } from "./roles";

export interface ChainCheck {
  allowed: boolean;
  /** Some Allow statement names the source principal for sts:AssumeRole (conditions aside). */
  principalTrusted: boolean;
  reason: string;
}

function awsPrincipalMatches(st: PolicyStatement, sourceRoleArn: string): boolean {
  if (st.principal.kind === "any") return !st.principalNegated;
  const account = accountOfArn(sourceRoleArn);
  const hit = st.principal.aws.some(
    (p) => p === "*" || p === account || p === `arn:aws:iam::${account}:root` || arnMatches(p, sourceRoleArn),
  );
  return st.principalNegated ? !hit : hit;
}

const conditionsHold = (st: PolicyStatement, ctx: RequestContext) => st.conditions.every((c) => evaluateClause(c, ctx).ok);

export function checkRoleChain(target: TrustPolicy, sourceRoleArn: string, externalId: string | undefined, sessionTags: boolean): ChainCheck {
  const ctx = new RequestContext({
    ...(externalId !== undefined ? { "sts:ExternalId": externalId } : {}),
    "aws:PrincipalArn": sourceRoleArn,
    "aws:PrincipalAccount": accountOfArn(sourceRoleArn),
  });
  const actions = sessionTags ? ["sts:AssumeRole", "sts:TagSession"] : ["sts:AssumeRole"];
  const relevant = target.statements.filter((st) => awsPrincipalMatches(st, sourceRoleArn));
  const principalTrusted = relevant.some((st) => st.effect === "Allow" && actionCovered(st, "sts:AssumeRole"));
  for (const action of actions) {
    const applying = relevant.filter((st) => actionCovered(st, action) && conditionsHold(st, ctx));
    const deny = applying.find((st) => st.effect === "Deny");
    if (deny) return { allowed: false, principalTrusted, reason: `statement ${deny.index} explicitly denies ${action} to ${sourceRoleArn}` };
    if (!applying.some((st) => st.effect === "Allow")) {
      const why = principalTrusted
        ? `no statement allows ${action} to ${sourceRoleArn} with sts:ExternalId ${externalId ?? "(none)"}`
        : `the target trust does not name ${sourceRoleArn} for ${action}`;
      return { allowed: false, principalTrusted, reason: why };
    }
  }
  return { allowed: true, principalTrusted, reason: `the target trust lets ${sourceRoleArn} chain in with its external id` };
}
