// Taking over an existing estate: every association created outside RoleGate is
// adopted as the baseline in ONE request (an adopt item each, summarised by
// cluster, namespace and role for the one review), except those whose role has
// findings in the latest scan's analysis: they are set apart, listed with their
// findings, for a decision each (adopt or revoke individually on /drift).
// Afterwards drift shows only what changes later.
import { DomainError } from "@/lib/core/errors";
import { analyzeSnapshotAsync, type Finding } from "@/lib/inventory/analysis";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
import type { Actor, RequestsDeps } from "@/lib/requests";
import { adoptSummary, createAdoptRequest } from "./adopt";
import { computeDrift, type DriftFinding } from "./compute";

export interface BaselinePlan {
  adopt: DriftFinding[];
  setApart: { finding: DriftFinding; findings: Pick<Finding, "id" | "kind" | "severity" | "title">[] }[];
  summary: ReturnType<typeof adoptSummary>;
  /** Whether findings could be checked (no scan yet: everything is set apart). */
  scanned: boolean;
}

/** Findings that concern an association: on its role, or on its service account in its cluster. */
function findingsFor(all: Finding[], f: DriftFinding) {
  return all
    .filter((x) => (x.roleArn && (x.roleArn === f.actual?.roleArn || x.roleArn === f.actual?.targetRoleArn)) || (x.cluster === f.cluster && x.namespace === f.namespace && x.serviceAccount === f.serviceAccount))
    .map((x) => ({ id: x.id, kind: x.kind, severity: x.severity, title: x.title }));
}

export async function planBaseline(deps: Pick<RequestsDeps, "prisma">, snapshot: InventorySnapshot | null): Promise<BaselinePlan> {
  const report = await computeDrift(deps.prisma);
  const outOfBand = report.findings.filter((f) => f.kind === "out-of-band" && f.actual);
  const all = snapshot ? (await analyzeSnapshotAsync(snapshot)).findings : null;
  const adopt: DriftFinding[] = [];
  const setApart: BaselinePlan["setApart"] = [];
  for (const f of outOfBand) {
    const found = all ? findingsFor(all, f) : [{ id: "no-scan", kind: "no-scan" as never, severity: "info" as const, title: "No inventory scan yet: findings unknown" }];
    if (found.length) setApart.push({ finding: f, findings: found });
    else adopt.push(f);
  }
  return { adopt, setApart, summary: adoptSummary(adopt), scanned: !!all };
}

export async function adoptBaseline(deps: RequestsDeps, actor: Actor, snapshot: InventorySnapshot | null): Promise<{ id: string; adopted: number; setApart: { key: string; findings: string[] }[] }> {
  const plan = await planBaseline(deps, snapshot);
  if (plan.adopt.length === 0) throw new DomainError("invalid", plan.setApart.length ? `Every out-of-band association has findings (${plan.setApart.length}): decide them one by one below.` : "Nothing created outside RoleGate: there is no estate to adopt.");
  const why = (summary: string) => `[drift:baseline] Adopt the existing estate as RoleGate's baseline. ${summary} Set apart for a decision each (findings): ${plan.setApart.length}.`;
  const r = await createAdoptRequest(deps, actor, plan.adopt, why, { baseline: true, setApart: plan.setApart.map((s) => s.finding.key) });
  return { id: r.id, adopted: plan.adopt.length, setApart: plan.setApart.map((s) => ({ key: s.finding.key, findings: s.findings.map((x) => `${x.severity}: ${x.title}`) })) };
}
