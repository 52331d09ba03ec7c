// Broad IRSA trusts on live clusters: no :sub condition (any SA of the
// cluster) and wildcard subjects. The fix narrows them to the SAs that are
// annotated with the role today.
import { canAssume, hasWildcard, patternMatches, serviceAccountSubject, type IrsaGrant } from "@/lib/trust";
import { textDiff } from "../../fixes/diff";
import { exactSubjects } from "../../fixes/irsa-trust";
import { formatPolicy, readPolicy } from "../../fixes/policy-json";
import type { SnapshotCluster } from "../../snapshot-types";
import type { IndexedRole } from "../model";
import { runSteps, type Steps } from "../steps";
import { findingId, IRSA_ANNOTATION, roleName, type AnalysisContext, type Finding } from "./types";

function annotatedSubjects(cluster: SnapshotCluster, roleArn: string): string[] {
  return cluster.serviceAccounts.filter((sa) => sa.annotations[IRSA_ANNOTATION] === roleArn).map((sa) => serviceAccountSubject(sa.namespace, sa.name));
}

/** Whole namespace (or more) is "medium"; a name prefix/pattern is "low". */
const broad = (pattern: string) => {
  const parts = pattern.split(":");
  return parts.length < 4 || hasWildcard(parts[2] ?? "*") || parts.slice(3).join(":") === "*";
};

function narrowFix(r: IndexedRole, g: IrsaGrant, cluster: SnapshotCluster, subjects: string[]): Finding["fix"] {
  if (subjects.length === 0) {
    return { kind: "narrow-subjects", description: `No SA on ${cluster.name} is annotated with this role: list the intended service accounts in a StringEquals ${g.providerPath}:sub condition, or remove statement ${g.statementIndex}.` };
  }
  const json = formatPolicy(exactSubjects(r.role.trustPolicy, g.statementIndex, g.providerPath, subjects));
  const [ns, sa] = subjects[0]!.split(":").slice(2);
  return {
    kind: "narrow-subjects",
    description: `Replace the :sub condition of statement ${g.statementIndex} with the exact service accounts that use the role on ${cluster.name}.`,
    json,
    diff: textDiff(formatPolicy(readPolicy(r.role.trustPolicy)), json, ["current", "narrowed"]),
    verified: canAssume(json, { mechanism: "irsa", issuer: cluster.oidcIssuer!, namespace: ns!, serviceAccount: sa!, providerAccount: r.role.accountId }).allowed,
  };
}

export function irsaSubjectFindings(ctx: AnalysisContext): Finding[] {
  return runSteps(irsaSubjectFindingsSteps(ctx));
}

/** irsaSubjectFindings one role per step (building and verifying fixes is the slow part). */
export function* irsaSubjectFindingsSteps(ctx: AnalysisContext): Steps<Finding[]> {
  const out: Finding[] = [];
  for (const r of ctx.roles.values()) {
    yield;
    for (const f of irsaSubjectFindingsForRole(ctx, r)) out.push(f);
  }
  return out;
}

/** One role's broad IRSA trusts, on every live cluster of its issuers or only on `onlyClusterArn`. */
export function irsaSubjectFindingsForRole(ctx: Pick<AnalysisContext, "clustersByPath" | "irsaEdgeKeys">, r: IndexedRole, onlyClusterArn?: string): Finding[] {
  const out: Finding[] = [];
  if (!r.grants) return out;
  for (const g of r.grants.irsa) {
    if (g.effect !== "Allow") continue;
    for (const cluster of ctx.clustersByPath.get(g.providerPath) ?? []) {
      if (onlyClusterArn !== undefined && cluster.arn !== onlyClusterArn) continue;
      const base = { accountId: r.role.accountId, cluster: cluster.name, clusterArn: cluster.arn, roleArn: r.role.arn };
      const annotated = annotatedSubjects(cluster, r.role.arn);
      if (g.subjects === null) {
        out.push({
          id: findingId("irsa-aud-only-trust", r.role.arn, cluster.arn, String(g.statementIndex)),
          kind: "irsa-aud-only-trust",
          severity: "high",
          title: `Any service account on ${cluster.name} can assume ${roleName(r.role.arn)}`,
          detail: `Statement ${g.statementIndex} trusts ${g.providerPath} without a :sub condition (${cluster.serviceAccounts.length} service accounts today).`,
          ...base,
          fix: narrowFix(r, g, cluster, annotated),
        });
        continue;
      }
      const wild = g.subjects.filter((p) => p.kind === "wildcard" && hasWildcard(p.value));
      if (wild.length === 0) continue;
      const exact = g.subjects.filter((p) => !wild.includes(p)).map((p) => p.value);
      const keep = [...new Set([...exact, ...annotated.filter((s) => wild.some((w) => patternMatches(w, s)))])].sort();
      const matching = cluster.serviceAccounts.filter((sa) => ctx.irsaEdgeKeys.has(`${cluster.arn}|${sa.namespace}/${sa.name}|${r.role.arn}`)).length;
      out.push({
        id: findingId("irsa-wildcard-subject", r.role.arn, cluster.arn, String(g.statementIndex)),
        kind: "irsa-wildcard-subject",
        severity: wild.some((w) => broad(w.value)) ? "medium" : "low",
        title: `${roleName(r.role.arn)} trusts wildcard subjects on ${cluster.name}`,
        detail: `Statement ${g.statementIndex}: ${wild.map((w) => w.value).join(", ")}; ${matching} existing service account(s) can assume the role, and any future one that matches.`,
        ...base,
        fix: narrowFix(r, g, cluster, keep),
      });
    }
  }
  return out;
}
