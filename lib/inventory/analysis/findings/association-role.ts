// Associations pointing at a role (or cross-account target) that does not
// exist, or whose target's trust does not accept the chain with the
// association's external id.
import { parseTrustPolicy } from "@/lib/trust";
import { podIdentityTrustPolicy } from "../../fixes/pod-identity-trust";
import { textDiff } from "../../fixes/diff";
import { formatPolicy, readPolicy } from "../../fixes/policy-json";
import { checkRoleChain } from "../cross-account";
import type { SnapshotAssociation } from "../../snapshot-types";
import type { PodIdentityEdge } from "../model";
import { accountOfArn, accountScanned } from "../roles";
import { associationFields, findingId, roleName, type AnalysisContext, type Finding } from "./types";


/**
 * The target trust with every statement naming the source role requiring exactly
 * these external ids (none: associations without an external id, so no
 * sts:ExternalId condition; an empty value list would be an invalid policy).
 */
function correctedTargetTrust(trust: string, sourceRoleArn: string, externalIds: string[]): string {
  const doc = readPolicy(trust);
  const required = externalIds.length === 0 ? undefined : { "sts:ExternalId": externalIds.length === 1 ? externalIds[0] : externalIds };
  let touched = false;
  for (const st of doc.Statement) {
    const aws = (st.Principal as Record<string, unknown> | undefined)?.AWS;
    if (!(Array.isArray(aws) ? aws : [aws]).includes(sourceRoleArn)) continue;
    const cond = ((st.Condition ??= {}) as Record<string, Record<string, unknown>>);
    const { "sts:ExternalId": _old, ...others } = cond.StringEquals ?? {};
    cond.StringEquals = { ...others, ...required };
    if (Object.keys(cond.StringEquals).length === 0) delete cond.StringEquals;
    if (Object.keys(cond).length === 0) delete st.Condition;
    touched = true;
  }
  if (!touched) {
    doc.Statement.push({ Effect: "Allow", Principal: { AWS: sourceRoleArn }, Action: ["sts:AssumeRole", "sts:TagSession"], ...(required ? { Condition: { StringEquals: required } } : {}) });
  }
  return formatPolicy(doc);
}

export function associationRoleFindings(ctx: AnalysisContext): Finding[] {
  const assocs = ctx.snapshot.clusters.flatMap((c) => c.associations);
  return ctx.edges.podIdentity.flatMap((e) => associationRoleFindingsFor(ctx, e, assocs));
}

/**
 * The findings of one association's edge. `assocs` must hold every
 * association with the edge's role (the corrected target trust lists the
 * external ids of all of them); the full analysis passes all associations.
 */
export function associationRoleFindingsFor(ctx: Pick<AnalysisContext, "roles" | "snapshot">, e: PodIdentityEdge, assocs: SnapshotAssociation[]): Finding[] {
  const out: Finding[] = [];
  if (!e.roleExists && accountScanned(ctx.snapshot, accountOfArn(e.roleArn))) {
    out.push({
      id: findingId("association-role-missing", e.associationId),
      kind: "association-role-missing",
      severity: "high",
      title: `Association ${e.cluster}/${e.namespace}/${e.serviceAccount} points at ${roleName(e.roleArn)}, which does not exist`,
      detail: `${e.roleArn} is not in the scanned account ${accountOfArn(e.roleArn)}: the pods of this service account get no credentials.`,
      ...associationFields(e),
      fix: { kind: "create-role-or-delete-association", description: `Re-create ${roleName(e.roleArn)} with this trust policy, or delete/re-point the association.`, json: formatPolicy(podIdentityTrustPolicy({ sourceAccount: accountOfArn(e.clusterArn) })) },
    });
  }
  const t = e.target;
  if (!t || !e.roleExists) return out;
  if (t.exists === false) {
    out.push({
      id: findingId("association-target-role-missing", e.associationId),
      kind: "association-target-role-missing",
      severity: "high",
      title: `Cross-account target ${roleName(t.roleArn)} of ${e.cluster}/${e.namespace}/${e.serviceAccount} does not exist`,
      detail: t.reason,
      ...associationFields(e),
      targetRoleArn: t.roleArn,
    });
    return out;
  }
  const target = ctx.roles.get(t.roleArn);
  if (t.allowed !== false || !target?.policy) return out;
  const externalId = assocs.find((a) => a.associationId === e.associationId)?.externalId;
  const check = checkRoleChain(target.policy, e.roleArn, externalId, e.sessionTags);
  const ids = assocs.filter((a) => a.roleArn === e.roleArn && a.targetRoleArn === t.roleArn && a.externalId).map((a) => a.externalId!);
  const json = correctedTargetTrust(target.role.trustPolicy, e.roleArn, [...new Set(ids)].sort());
  const kind = check.principalTrusted ? "cross-account-external-id-mismatch" : "cross-account-target-not-trusted";
  out.push({
    id: findingId(kind, e.associationId),
    kind,
    severity: "high",
    title: kind === "cross-account-external-id-mismatch"
      ? `${roleName(t.roleArn)} requires a different sts:ExternalId than association ${e.cluster}/${e.namespace}/${e.serviceAccount}`
      : `${roleName(t.roleArn)} does not trust ${roleName(e.roleArn)} for role chaining`,
    detail: `${check.reason}. Chaining fails, so the pods get no target-role credentials.`,
    ...associationFields(e),
    targetRoleArn: t.roleArn,
    fix: {
      kind: "target-trust-policy",
      description: `In account ${accountOfArn(t.roleArn)}, update the trust of ${roleName(t.roleArn)} to require the external id(s) of the current association(s).`,
      json,
      diff: textDiff(formatPolicy(readPolicy(target.role.trustPolicy)), json, ["current", "corrected"]),
      verified: checkRoleChain(parseTrustPolicy(json), e.roleArn, externalId, e.sessionTags).allowed,
    },
  });
  return out;
}
