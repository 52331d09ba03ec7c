// Taking over an existing estate: every association created outside RoleGate is
// adopted as the baseline in ONE request (an adopt item each, summarised by
// cluster, namespace and role for the one review), except those whose role has
// findings in the latest scan's analysis: they are set apart, listed with their
// findings, for a decision each (adopt or revoke individually on /drift).
// Afterwards drift shows only what changes later.
import { DomainError } from "@/lib/core/errors";
import type { Finding } from "@/lib/inventory/analysis";
import type { Actor, RequestsDeps } from "@/lib/requests";
import { groupBy } from "@/lib/util/group-by";
import { objectInterner } from "@/lib/util/intern";
import { adoptSummary, createAdoptRequest } from "./adopt";
import { computeDrift, type DriftFinding, type DriftReport } from "./compute";

/** An association left out of the baseline request: its drift key and its findings ("severity: title"). */
export interface SetApartRecord {
  key: string;
  findings: string[];
}

export interface BaselinePlan {
  adopt: DriftFinding[];
  setApart: { finding: DriftFinding; findings: Headline[] }[];
  summary: ReturnType<typeof adoptSummary>;
  /** Whether findings could be checked (no scan yet: everything is set apart). */
  scanned: boolean;
}

type Headline = Pick<Finding, "id" | "kind" | "severity" | "title">;

/**
 * Findings that concern an association: on its role, or on its service account in
 * its cluster. Indexed once per plan: an estate of 100,000 associations against
 * thousands of findings must not be a nested scan. The plan is kept with the drift
 * report (current.ts), so each finding has one headline and equal lists are one
 * list: the associations of a role with findings all list the same ones, and at
 * 100,000 associations their own copies were about 30 MB of a serving process.
 */
function findingsIndex(all: Finding[]): (f: DriftFinding) => Headline[] {
  const position = new Map(all.map((x, i) => [x.id, i]));
  const saKey = (cluster?: string, namespace?: string, sa?: string) => `${cluster}\u0000${namespace}\u0000${sa}`;
  const byRole = groupBy(all, (x) => [x.roleArn]);
  const bySa = groupBy(all, (x) => [x.cluster && x.namespace && x.serviceAccount ? saKey(x.cluster, x.namespace, x.serviceAccount) : null]);
  const headlines = new Map<string, Headline>();
  const headline = (x: Finding): Headline => {
    let h = headlines.get(x.id);
    if (!h) headlines.set(x.id, (h = Object.freeze({ id: x.id, kind: x.kind, severity: x.severity, title: x.title })));
    return h;
  };
  const lists = objectInterner<Headline[]>((list) => list.map((h) => h.id).join("\u0000"));
  return (f) => {
    const hits = new Map<string, Finding>();
    for (const arn of [f.actual?.roleArn, f.actual?.targetRoleArn]) for (const x of arn ? byRole.get(arn) ?? [] : []) hits.set(x.id, x);
    for (const x of bySa.get(saKey(f.cluster, f.namespace, f.serviceAccount)) ?? []) hits.set(x.id, x);
    // In the analysis' own order, as an unindexed filter would list them.
    return lists([...hits.values()].sort((a, b) => position.get(a.id)! - position.get(b.id)!).map(headline));
  };
}

/**
 * `findings`: the latest scan's analysis (the inventory view's, computed once per
 * scan), null before the first scan. `report`: the drift report when the caller
 * has it already (the /drift page), else it is computed.
 */
export async function planBaseline(deps: Pick<RequestsDeps, "prisma" | "kinds">, findings: Finding[] | null, report?: DriftReport): Promise<BaselinePlan> {
  const drift = report ?? (await computeDrift(deps.prisma, deps.kinds));
  const outOfBand = drift.findings.filter((f) => f.kind === "out-of-band" && f.actual);
  const about = findings ? findingsIndex(findings) : null;
  const adopt: DriftFinding[] = [];
  const setApart: BaselinePlan["setApart"] = [];
  for (const f of outOfBand) {
    const found = about ? about(f) : [{ id: "no-scan", kind: "no-scan" as never, severity: "info" as const, title: "No inventory scan yet: findings unknown" }];
    if (found.length) setApart.push({ finding: f, findings: found });
    else adopt.push(f);
  }
  return { adopt, setApart, summary: adoptSummary(adopt), scanned: !!findings };
}

export async function adoptBaseline(deps: RequestsDeps, actor: Actor, findings: Finding[] | null): Promise<{ id: string; adopted: number; setApart: SetApartRecord[] }> {
  const plan = await planBaseline(deps, findings);
  if (plan.adopt.length === 0) throw new DomainError("invalid", plan.setApart.length ? `Every out-of-band association has findings (${plan.setApart.length}): decide them one by one below.` : "Nothing created outside RoleGate: there is no estate to adopt.");
  const why = (summary: string) => `[drift:baseline] Adopt the existing estate as RoleGate's baseline. ${summary} Set apart for a decision each (findings): ${plan.setApart.length}.`;
  const setApart: SetApartRecord[] = plan.setApart.map((s) => ({ key: s.finding.key, findings: s.findings.map((x) => `${x.severity}: ${x.title}`) }));
  // Recorded with the request (its request.created audit row), so its page lists them next to the summary.
  const r = await createAdoptRequest(deps, actor, plan.adopt, why, { baseline: true, setApart });
  return { id: r.id, adopted: plan.adopt.length, setApart };
}
