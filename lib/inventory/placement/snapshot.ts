// Placement facts of a scanned cluster, and every service account's placement.
import type { InventorySnapshot, SnapshotCluster } from "../snapshot-types";
import { placementFacts, placementOf, podsBySa, type PlacementFacts, type SaPlacement } from "./index";

export function placementFactsOf(c: SnapshotCluster): PlacementFacts {
  return placementFacts({ ...c, cluster: c.name }, {
    agentAddon: c.podIdentityAgentInstalled,
    fargateProfiles: c.fargateProfiles,
    nodes: c.nodes,
    agentDaemonSet: c.agentDaemonSet,
    // Snapshots taken before placement was scanned have pods without nodeName: their placement is unknown.
    pods: c.nodes === undefined ? undefined : c.pods,
  });
}

/** Every cluster's placements: computed once for a view, whose access rows and service-account rows both show them. */
export function placementsByCluster(snapshot: Pick<InventorySnapshot, "clusters">): Map<SnapshotCluster, Map<string, SaPlacement>> {
  return new Map(snapshot.clusters.map((c) => [c, placementsOf(c)]));
}

/** "ns/sa" -> placement, for every service account of the cluster (its pods grouped once: 1,000 SAs x 1,000 pods is not a million comparisons). */
export function placementsOf(c: SnapshotCluster): Map<string, SaPlacement> {
  const facts = placementFactsOf(c);
  const { bySa, nodesByName } = podsBySa(facts);
  return new Map(
    c.serviceAccounts.map((sa) => {
      const key = `${sa.namespace}/${sa.name}`;
      return [key, placementOf(facts, sa.namespace, sa.name, { pods: bySa.get(key) ?? [], nodesByName })];
    }),
  );
}
