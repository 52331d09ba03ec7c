import { normalizeIssuer } from "@/lib/trust";
import type { InventorySnapshot, SnapshotCluster } from "../../snapshot-types";
import { computeEdges, edgeKey } from "../edges";
import type { EdgeSet, IndexedRole } from "../model";
import { indexRoles } from "../roles";
import type { AnalysisContext } from "./types";

export function analysisContext(snapshot: InventorySnapshot, roles: Map<string, IndexedRole> = indexRoles(snapshot), edges: EdgeSet = computeEdges(snapshot, roles)): AnalysisContext {
  const clustersByPath = new Map<string, SnapshotCluster[]>();
  for (const c of snapshot.clusters) {
    if (!c.oidcIssuer) continue;
    const path = normalizeIssuer(c.oidcIssuer);
    clustersByPath.set(path, [...(clustersByPath.get(path) ?? []), c]);
  }
  return { snapshot, roles, edges, clustersByPath, irsaEdgeKeys: new Set(edges.irsa.map(edgeKey)) };
}

export const isActivePod = (phase: string) => phase === "Running" || phase === "Pending";
export const time = (iso: string) => Date.parse(iso);
