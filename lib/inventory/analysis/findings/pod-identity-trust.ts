// Associations whose role's trust does not let EKS Pod Identity through:
// no pods.eks.amazonaws.com statement, missing sts:TagSession with session
// tags on, an explicit Deny, or conditions that exclude this SA/cluster.
import { canAssume, type PodIdentityInput, type TrustResult } from "@/lib/trust";
import { correctPodIdentityTrust, type CorrectionOptions } from "../../fixes/pod-identity-trust";
import { textDiff } from "../../fixes/diff";
import { formatPolicy, readPolicy } from "../../fixes/policy-json";
import type { PodIdentityEdge } from "../model";
import { accountOfArn } from "../roles";
import { runSteps, type Steps } from "../steps";
import { associationFields, findingId, roleName, type AnalysisContext, type Finding, type FindingKind } from "./types";

function classify(res: TrustResult, trusted: boolean): { kind: FindingKind; why: string; denyStatements: number[] } {
  const deny = res.actions.filter((a) => a.decision === "explicit-deny");
  if (deny.length) return { kind: "pod-identity-trust-denies", why: "an explicit Deny applies", denyStatements: [...new Set(deny.flatMap((d) => d.statements))] };
  if (!trusted) return { kind: "pod-identity-role-not-trusted", why: "the trust never mentions pods.eks.amazonaws.com", denyStatements: [] };
  const assume = res.actions.find((a) => a.action === "sts:AssumeRole");
  const tag = res.actions.find((a) => a.action === "sts:TagSession");
  if (assume?.decision === "allowed" && tag?.decision === "implicit-deny") {
    return { kind: "pod-identity-trust-missing-tagsession", why: "sts:TagSession is not allowed while the association keeps session tags on", denyStatements: [] };
  }
  return { kind: "pod-identity-role-not-trusted", why: "the Pod Identity statement's conditions exclude this association", denyStatements: [] };
}

export function podIdentityTrustFindings(ctx: AnalysisContext): Finding[] {
  return runSteps(podIdentityTrustFindingsSteps(ctx));
}

/** podIdentityTrustFindings one association per step. */
export function* podIdentityTrustFindingsSteps(ctx: AnalysisContext): Steps<Finding[]> {
  const out: Finding[] = [];
  for (const e of ctx.edges.podIdentity) {
    yield;
    const f = podIdentityTrustFinding(ctx, e);
    if (f) out.push(f);
  }
  return out;
}

/** The finding of one association's edge, if its role's trust does not let it through. */
export function podIdentityTrustFinding(ctx: Pick<AnalysisContext, "roles">, e: PodIdentityEdge): Finding | null {
  const r = ctx.roles.get(e.roleArn);
  if (e.allowed || !r?.policy || !r.grants) return null;
  const input: PodIdentityInput = { mechanism: "pod-identity", namespace: e.namespace, serviceAccount: e.serviceAccount, clusterArn: e.clusterArn, sessionTags: e.sessionTags };
  const res = canAssume(r.policy, input);
  const { kind, why, denyStatements } = classify(res, r.grants.podIdentity.trusted);
  const opts: CorrectionOptions = { sourceAccount: accountOfArn(e.clusterArn), tagSession: e.sessionTags };
  if (kind === "pod-identity-trust-denies") opts.removeStatements = denyStatements;
  if (why.includes("conditions exclude")) Object.assign(opts, { addStatement: true, restrictTo: { clusterArn: e.clusterArn, namespace: e.namespace, serviceAccount: e.serviceAccount } });
  const corrected = correctPodIdentityTrust(r.role.trustPolicy, opts);
  const json = formatPolicy(corrected);
  const action =
    kind === "pod-identity-trust-denies"
      ? `Remove statement(s) ${denyStatements.join(", ")} (or, if the restriction is intended, delete this association instead).`
      : kind === "pod-identity-trust-missing-tagsession"
        ? "Add sts:TagSession to the Pod Identity statement (or disable session tags on the association)."
        : "Add a statement trusting pods.eks.amazonaws.com (other statements kept).";
  return finding(e, kind, `${res.reason} Cause: ${why}.`, {
    kind: "trust-policy",
    description: action,
    json,
    diff: textDiff(formatPolicy(readPolicy(r.role.trustPolicy)), json, ["current", "corrected"]),
    verified: canAssume(json, input).allowed,
  });
}

function finding(e: PodIdentityEdge, kind: FindingKind, detail: string, fix: Finding["fix"]): Finding {
  const titles: Partial<Record<FindingKind, string>> = {
    "pod-identity-trust-denies": "explicitly denies",
    "pod-identity-trust-missing-tagsession": "lacks sts:TagSession for",
    "pod-identity-role-not-trusted": "does not trust",
  };
  return {
    id: findingId(kind, e.associationId),
    kind,
    severity: "high",
    title: `${roleName(e.roleArn)} ${titles[kind]} the Pod Identity association ${e.cluster}/${e.namespace}/${e.serviceAccount}`,
    detail,
    ...associationFields(e),
    // About the role's trust: the role's account.
    accountId: accountOfArn(e.roleArn),
    ...(fix ? { fix } : {}),
  };
}
