import type { SnapshotAnalysis } from "@/lib/inventory/analysis";
import { computeEdges } from "@/lib/inventory/analysis/edges";
import { computeFindings, type Finding } from "@/lib/inventory/analysis/findings";
import { worldToSnapshot } from "@/tests/support/analysis/world-to-snapshot";
import { buildDemoFleet } from "@/sandbox/seed/fleet";
import type { SeededSituation } from "@/sandbox/seed/situations";

export const demoSnapshot = () => worldToSnapshot(buildDemoFleet(), "2026-11-01T00:00:00Z");

let cached: { snapshot: ReturnType<typeof demoSnapshot>; edges: ReturnType<typeof computeEdges>; findings: Finding[] } | undefined;
export function demo() {
  if (!cached) {
    const snapshot = demoSnapshot();
    cached = { snapshot, edges: computeEdges(snapshot), findings: computeFindings(snapshot) };
  }
  return cached;
}

/** Situation kinds that are not derivable from one snapshot (drift against RoleGate's own records is another issue's). */
export const NOT_SNAPSHOT_KINDS = new Set(["association-out-of-band"]);

const FIELDS = ["cluster", "namespace", "serviceAccount", "roleArn", "associationId", "oidcProviderArn", "nodeRoleArn", "targetRoleArn"] as const;

/** Same kind, and every identifying field set on both sides agrees (pods as a set). */
export function matches(f: Finding, s: SeededSituation): boolean {
  if (f.kind !== s.kind) return false;
  if (f.accountId && f.accountId !== s.accountId) return false;
  for (const k of FIELDS) if (f[k] !== undefined && s[k] !== undefined && f[k] !== s[k]) return false;
  if (s.pods && JSON.stringify([...s.pods].sort()) !== JSON.stringify([...(f.pods ?? [])].sort())) return false;
  return true;
}

/** A look-alike is "reported" by any finding (any kind) that names everything the entry names. */
export function namesLookAlike(f: Finding, s: SeededSituation): boolean {
  return FIELDS.every((k) => s[k] === undefined || f[k] === s[k]);
}

export const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
/** An analysis with its lists in a canonical order: the incremental analysis gives what a full one gives, in its own order. */
export const canonical = (a: SnapshotAnalysis) => ({
  irsa: sorted(a.edges.irsa),
  podIdentity: sorted(a.edges.podIdentity),
  patterns: sorted(a.edges.patterns),
  mappings: sorted(a.mappings),
  findings: sorted(a.findings),
});
