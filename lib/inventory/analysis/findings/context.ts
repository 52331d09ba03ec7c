import { normalizeIssuer } from "@/lib/trust";
import type { InventorySnapshot, SnapshotCluster } from "../../snapshot-types";
import { computeEdges, edgeKey } from "../edges";
import type { EdgeSet, IndexedRole } from "../model";
import { indexRoles } from "../roles";
import { runSteps, type Steps } from "../steps";
import type { AnalysisContext } from "./types";

export function analysisContext(snapshot: InventorySnapshot, roles: Map<string, IndexedRole> = indexRoles(snapshot), edges: EdgeSet = computeEdges(snapshot, roles)): AnalysisContext {
  return runSteps(analysisContextSteps(snapshot, roles, edges));
}

export function* analysisContextSteps(snapshot: InventorySnapshot, roles: Map<string, IndexedRole>, edges: EdgeSet): Steps<AnalysisContext> {
  const clustersByPath = new Map<string, SnapshotCluster[]>();
  for (const c of snapshot.clusters) {
    if (!c.oidcIssuer) continue;
    const path = normalizeIssuer(c.oidcIssuer);
    clustersByPath.set(path, [...(clustersByPath.get(path) ?? []), c]);
  }
  const irsaEdgeKeys = new Set<string>();
  for (let i = 0; i < edges.irsa.length; i++) {
    if (i % 1000 === 0) yield;
    irsaEdgeKeys.add(edgeKey(edges.irsa[i]!));
  }
  return { snapshot, roles, edges, clustersByPath, irsaEdgeKeys };
}

export const isActivePod = (phase: string) => phase === "Running" || phase === "Pending";
export const time = (iso: string) => Date.parse(iso);
