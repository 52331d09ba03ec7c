// "Adopt": files ONE request whose items, of kind "adopt", record existing
// associations as managed by RoleGate — one from a /drift row, several from the
// bulk selection or the estate baseline. It goes through approval like any
// request (reviewed once, with a summary by cluster, namespace and role); applying
// it makes no AWS write: the apply job only reads each association back and
// stores its id as the item's result (lib/requests/apply-item.ts).
// The finding comes from the scan cache, which may be stale or forged into by a
// racing change; what is filed is what AWS describes now for the finding's
// association id (resolveSubject), and apply re-reads that id.
import { DomainError } from "@/lib/core/errors";
import { fileRequest, locationOf, requireTarget, resolveSubject, type Actor, type RequestsDeps } from "@/lib/requests";
import { mapWithConcurrency } from "@/lib/util/concurrency";
import type { DriftFinding } from "./compute";

/** Describe calls in flight at once while resolving a large adoption (the estate baseline). */
const DESCRIBE_CONCURRENCY = 8;

/** Each finding with its association as AWS describes it now; a finding whose id is gone or belongs to another SA is refused (400) naming both. */
async function describedNow(deps: RequestsDeps, findings: DriftFinding[]): Promise<(DriftFinding & { actual: NonNullable<DriftFinding["actual"]> })[]> {
  return mapWithConcurrency(findings, DESCRIBE_CONCURRENCY, async (f) => {
    requireTarget(deps.targets, f, "associationId");
    const a = f.actual!;
    const s = (await resolveSubject(deps.aws, locationOf(deps.targets, f), { kind: "adopt", cluster: f.cluster, namespace: f.namespace, serviceAccount: f.serviceAccount, associationId: a.associationId }, "associationId"))!;
    return { ...f, actual: { ...a, roleArn: s.roleArn, targetRoleArn: s.targetRoleArn, disableSessionTags: s.disableSessionTags } };
  });
}

/** One adopted association as the summary counts it (a drift finding at filing, a request item afterwards). */
export interface AdoptedRow {
  cluster: string;
  namespace: string;
  roleArn: string;
}

/** Counts by cluster, namespace ("cluster/namespace") and role: the reviewer's one-screen summary. */
export function countAdoptions(rows: AdoptedRow[]) {
  const count = (key: (r: AdoptedRow) => string) => {
    const out: Record<string, number> = {};
    for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
    return out;
  };
  return { total: rows.length, byCluster: count((r) => r.cluster), byNamespace: count((r) => `${r.cluster}/${r.namespace}`), byRole: count((r) => r.roleArn) };
}

/** Counts of the adopted associations by cluster, namespace and role. */
export function adoptSummary(findings: DriftFinding[]) {
  return countAdoptions(findings.map((f) => ({ cluster: f.cluster, namespace: f.namespace, roleArn: f.actual?.roleArn ?? "" })));
}

export function summaryText(s: ReturnType<typeof adoptSummary>): string {
  const list = (o: Record<string, number>) => Object.entries(o).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(", ");
  return `${s.total} association(s). By cluster: ${list(s.byCluster)}. By namespace: ${list(s.byNamespace)}. By role: ${list(s.byRole)}.`;
}

/** `justification` may be built from the summary of what AWS describes now (not the cache's). */
export async function createAdoptRequest(deps: RequestsDeps, actor: Actor, cached: DriftFinding[], justification: string | ((summary: string) => string), details: Record<string, unknown> = {}): Promise<{ id: string; status: "pending"; items: number }> {
  if (cached.length === 0) throw new DomainError("invalid", "Nothing to adopt.");
  if (cached.some((f) => !f.actual)) throw new DomainError("invalid", "Only associations that exist in AWS can be adopted.");
  const findings = await describedNow(deps, cached);
  const items = findings.map(({ actual: a, ...f }) => ({
    kind: "adopt", cluster: f.cluster, accountId: f.accountId, region: f.region, namespace: f.namespace, serviceAccount: f.serviceAccount,
    roleArn: a.roleArn, targetRoleArn: a.targetRoleArn, disableSessionTags: a.disableSessionTags, associationId: a.associationId, subjectRoleArn: a.roleArn,
  }));
  const summary = adoptSummary(findings);
  const one = findings.length === 1 ? findings[0]! : null;
  const why = typeof justification === "string" ? justification : justification(summaryText(summary));
  const { id } = await fileRequest(deps, {
    kind: one ? "create" : "batch",
    requester: actor,
    justification: why,
    items,
    audit: {
      details: ({ policy }) => ({
        kind: one ? "create" : "batch", adopt: true, items: findings.length, requiredApprovals: policy.requiredApprovals,
        ...(one ? { drift: one.kind, associationId: one.actual.associationId } : { summary }),
        ...details,
      }),
    },
    notification: one
      ? `${actor.login} asks to adopt ${one.namespace}/${one.serviceAccount} on ${one.cluster} -> ${one.actual.roleArn} (association ${one.actual.associationId}, created outside RoleGate)`
      : `${actor.login} asks to adopt ${findings.length} association(s) created outside RoleGate: ${summaryText(summary)}`,
  });
  return { id, status: "pending", items: findings.length };
}
