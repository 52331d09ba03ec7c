// Placement facts of a scanned cluster, and every service account's placement.
import type { SnapshotCluster } from "../snapshot-types";
import { placementFacts, placementOf, type PlacementFacts, type SaPlacement } from "./index";

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

/** "ns/sa" -> placement, for every service account of the cluster. */
export function placementsOf(c: SnapshotCluster): Map<string, SaPlacement> {
  const facts = placementFactsOf(c);
  return new Map(c.serviceAccounts.map((sa) => [`${sa.namespace}/${sa.name}`, placementOf(facts, sa.namespace, sa.name)]));
}
