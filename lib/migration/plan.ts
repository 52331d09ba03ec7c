// Which service accounts still use IRSA, from the latest inventory snapshot:
// the SA's eks.amazonaws.com/role-arn annotation or a trust statement naming it.
// One candidate per (cluster, SA, role), with warnings where the role is shared
// by several SAs or clusters (its trust edits must leave the others alone).
import type { SnapshotAnalysis } from "@/lib/inventory/analysis";
import type { InventorySnapshot, ServiceAccountRef } from "@/lib/inventory/snapshot-types";
import { clusterUnsupported, type SaPlacement } from "@/lib/inventory/placement";
import { placementFactsOf, placementsOf } from "@/lib/inventory/placement/snapshot";

export const IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";

export interface MigrationCandidate extends ServiceAccountRef {
  roleArn: string;
  /** How the SA uses IRSA with this role. */
  sources: ("annotation" | "trust-exact" | "trust-wildcard" | "trust-any-sa" | "trust-evaluated")[];
  /** The SA already has an association (to this role or another). */
  association: { associationId: string; roleArn: string } | null;
  warnings: string[];
  /** Where its pods run (nodes, Fargate, Windows). */
  placement: Pick<SaPlacement, "nodes" | "fargate" | "windows" | "podIdentity" | "summary">;
  /** Why it must stay on IRSA (Fargate, Windows, Outposts...): no move is offered. null: it can move. */
  blocked: string | null;
}

export const candidateKey = (c: { cluster: string; namespace: string; serviceAccount: string; roleArn: string }) => `${c.cluster}/${c.namespace}/${c.serviceAccount}/${c.roleArn}`;

export function migrationCandidates(snapshot: InventorySnapshot, analysis: Pick<SnapshotAnalysis, "edges">): MigrationCandidate[] {
  const out = new Map<string, MigrationCandidate>();
  const clusterOf = new Map(snapshot.clusters.map((c) => [c.name, c]));
  const placements = new Map(snapshot.clusters.map((c) => [c.name, placementsOf(c)]));
  // A cluster where Pod Identity cannot work at all (Outposts, connected, China) blocks every SA of it, even one the scan did not see.
  const wholeCluster = new Map(snapshot.clusters.map((c) => [c.name, clusterUnsupported(placementFactsOf(c))]));
  const add = (cluster: string, namespace: string, serviceAccount: string, roleArn: string, source: MigrationCandidate["sources"][number]) => {
    const c = clusterOf.get(cluster);
    if (!c) return;
    const key = candidateKey({ cluster, namespace, serviceAccount, roleArn });
    const existing = out.get(key);
    if (existing) {
      if (!existing.sources.includes(source)) existing.sources.push(source);
      return;
    }
    const assoc = c.associations.find((a) => a.namespace === namespace && a.serviceAccount === serviceAccount);
    const p = placements.get(cluster)?.get(`${namespace}/${serviceAccount}`);
    const placement = p
      ? { nodes: p.nodes, fargate: p.fargate, windows: p.windows, podIdentity: p.podIdentity, summary: p.summary }
      : { nodes: [], fargate: [], windows: [], podIdentity: "unknown" as const, summary: "unknown (service account not in the scan)" };
    out.set(key, {
      key, accountId: c.accountId, region: c.region, cluster, namespace, serviceAccount, roleArn, sources: [source],
      association: assoc ? { associationId: assoc.associationId, roleArn: assoc.roleArn } : null, warnings: [], placement,
      blocked: p?.podIdentity === "unsupported" ? `Stays on IRSA: ${p.reasons.join(" ")}` : wholeCluster.get(cluster) ? `Stays on IRSA: ${wholeCluster.get(cluster)}` : null,
    });
  };
  for (const c of snapshot.clusters) {
    for (const sa of c.serviceAccounts) {
      const arn = sa.annotations[IRSA_ANNOTATION];
      if (arn) add(c.name, sa.namespace, sa.name, arn, "annotation");
    }
  }
  for (const e of analysis.edges.irsa) add(e.cluster, e.namespace, e.serviceAccount, e.roleArn, `trust-${e.via}`);

  // Sharing: who else reaches the same role through IRSA.
  const users = new Map<string, { sas: Set<string>; clusters: Set<string> }>();
  for (const e of analysis.edges.irsa) {
    const u = users.get(e.roleArn) ?? { sas: new Set(), clusters: new Set() };
    u.sas.add(`${e.cluster}/${e.namespace}/${e.serviceAccount}`);
    u.clusters.add(e.cluster);
    users.set(e.roleArn, u);
  }
  for (const cand of out.values()) {
    const u = users.get(cand.roleArn);
    const others = u ? [...u.sas].filter((s) => s !== `${cand.cluster}/${cand.namespace}/${cand.serviceAccount}`) : [];
    if (others.length) cand.warnings.push(`Role shared with ${others.length} other service account(s) (${others.slice(0, 3).join(", ")}${others.length > 3 ? ", ..." : ""}): only this SA's subject on ${cand.cluster} is removed later.`);
    if (u && u.clusters.size > 1) cand.warnings.push(`Role trusted from ${u.clusters.size} clusters (${[...u.clusters].sort().join(", ")}): statements of the other clusters stay.`);
    if (!cand.sources.some((s) => s === "trust-exact")) {
      if (cand.sources.includes("annotation") && cand.sources.length === 1) cand.warnings.push("Annotated, but no trust statement of this cluster lets the SA in: IRSA does not work for it today.");
      else cand.warnings.push("Trusted through a wildcard or without a subject: removing IRSA for this SA alone needs a narrower statement; the clean-up step will not edit patterns.");
    }
    if (cand.association && cand.association.roleArn !== cand.roleArn) cand.warnings.push(`Already has association ${cand.association.associationId} to ${cand.association.roleArn}: one association per SA, migrating would replace nothing.`);
  }
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}
