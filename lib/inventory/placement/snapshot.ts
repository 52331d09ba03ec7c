// Placement facts of a scanned cluster, and every service account's placement.
import type { SnapshotCluster } from "../snapshot-types";
import { placementOf, type PlacementFacts, type SaPlacement } from "./index";

export function placementFactsOf(c: SnapshotCluster): PlacementFacts {
  return {
    cluster: c.name,
    region: c.region,
    autoMode: c.autoMode === true,
    outpost: c.outpost,
    connected: c.connected,
    agentAddon: c.podIdentityAgentInstalled,
    fargateProfiles: c.fargateProfiles,
    nodes: c.nodes,
    agentDaemonSet: c.agentDaemonSet === undefined ? undefined : c.agentDaemonSet ? { name: c.agentDaemonSet.name, nodeSelector: c.agentDaemonSet.nodeSelector } : null,
    // Snapshots taken before placement was scanned have pods without nodeName: their placement is unknown.
    pods: c.nodes === undefined ? undefined : c.pods,
  };
}

/** "ns/sa" -> placement, for every service account of the cluster. */
export function placementsOf(c: SnapshotCluster): Map<string, SaPlacement> {
  const facts = placementFactsOf(c);
  return new Map(c.serviceAccounts.map((sa) => [`${sa.namespace}/${sa.name}`, placementOf(facts, sa.namespace, sa.name)]));
}
