// Per-role rows for /roles: who can assume each role, through what, and what is wrong (pure).
import "server-only";
import { z } from "zod";
import type { Finding, Severity, SnapshotAnalysis } from "../analysis";
import type { InventorySnapshot } from "../snapshot-types";
import { SEVERITY_RANK, contains, pagingFields, filterSortedAndPage, type Page } from "./paging";

export interface RoleSummary {
  arn: string;
  name: string;
  accountId: string;
  path: string;
  mechanisms: ("irsa" | "pod-identity")[];
  /** Distinct service accounts (cluster/ns/name) with an edge to the role. */
  assumers: number;
  patterns: string[];
  findings: number;
  severity: Severity | null;
}

export { roleArnFromSegments, roleHref } from "./role-href";

export function buildRoleSummaries(snapshot: InventorySnapshot, analysis: SnapshotAnalysis): RoleSummary[] {
  const mech = new Map<string, Set<"irsa" | "pod-identity">>();
  const sas = new Map<string, Set<string>>();
  const add = (role: string, m: "irsa" | "pod-identity", sa: string) => {
    (mech.get(role) ?? mech.set(role, new Set()).get(role)!).add(m);
    (sas.get(role) ?? sas.set(role, new Set()).get(role)!).add(sa);
  };
  for (const e of analysis.edges.irsa) add(e.roleArn, "irsa", `${e.cluster}/${e.namespace}/${e.serviceAccount}`);
  for (const e of analysis.edges.podIdentity) if (e.allowed) add(e.roleArn, "pod-identity", `${e.cluster}/${e.namespace}/${e.serviceAccount}`);
  const patterns = new Map<string, string[]>();
  for (const p of analysis.edges.patterns) patterns.set(p.roleArn, [...(patterns.get(p.roleArn) ?? []), `${p.label} (${p.cluster})`]);
  const findings = new Map<string, Finding[]>();
  for (const f of analysis.findings) if (f.roleArn) findings.set(f.roleArn, [...(findings.get(f.roleArn) ?? []), f]);
  return snapshot.roles.map((r) => {
    const fs = findings.get(r.arn) ?? [];
    return {
      arn: r.arn,
      name: r.roleName,
      accountId: r.accountId,
      path: r.path,
      mechanisms: [...(mech.get(r.arn) ?? [])].sort(),
      assumers: sas.get(r.arn)?.size ?? 0,
      patterns: patterns.get(r.arn) ?? [],
      findings: fs.length,
      severity: fs.length ? fs.reduce<Severity>((w, f) => ((SEVERITY_RANK[f.severity] ?? 9) < (SEVERITY_RANK[w] ?? 9) ? f.severity : w), "info") : null,
    };
  });
}

export const ROLE_SORTS = ["name", "account", "assumers", "findings"] as const;

export const roleQuerySchema = z.object({
  account: z.string().trim().regex(/^\d{12}$/).optional().catch(undefined),
  /** "none": roles no service account can assume. */
  mechanism: z.enum(["irsa", "pod-identity", "none"]).optional().catch(undefined),
  findings: z.enum(["any", "none"]).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(ROLE_SORTS).catch("name"),
  ...pagingFields,
});
export type RoleQuery = z.infer<typeof roleQuerySchema>;

export function queryRoles(rows: readonly RoleSummary[], q: RoleQuery): Page<RoleSummary> {
  const keep = (r: RoleSummary) =>
    (!q.account || r.accountId === q.account) &&
    (!q.mechanism || (q.mechanism === "none" ? r.mechanisms.length === 0 : r.mechanisms.includes(q.mechanism))) &&
    (q.findings !== "any" || r.findings > 0) &&
    (q.findings !== "none" || r.findings === 0) &&
    contains(q.q, r.arn);
  const keys = { name: (r: RoleSummary) => r.name, account: (r: RoleSummary) => r.accountId, assumers: (r: RoleSummary) => r.assumers, findings: (r: RoleSummary) => r.findings };
  return filterSortedAndPage(rows, { name: q.sort, key: keys[q.sort], dir: q.dir, ties: [(r: RoleSummary) => r.name, (r: RoleSummary) => r.arn] }, keep, q.page, q.pageSize);
}
