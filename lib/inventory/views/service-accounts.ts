// Per service account rows (pure): who it is, which roles it reaches and how,
// and where its pods run (nodes, Fargate, Windows) with whether Pod Identity
// can work there. Feeds the service-accounts pages and API.
import { z } from "zod";
import type { SnapshotAnalysis } from "../analysis";
import type { SaPlacement } from "../placement";
import { placementsByCluster, placementsOf } from "../placement/snapshot";
import { flat, objectInterner } from "@/lib/util/intern";
import type { InventorySnapshot } from "../snapshot-types";
import { contains, pagingFields, filterSortedAndPage, type Page } from "./paging";

export type PlacementView = Pick<SaPlacement, "nodes" | "fargate" | "windows" | "mayRunOnFargate" | "pods" | "podIdentity" | "reasons" | "summary">;

export interface ServiceAccountRow {
  key: string;
  accountId: string;
  region: string;
  cluster: string;
  namespace: string;
  name: string;
  /** eks.amazonaws.com/role-arn annotation, when set. */
  irsaRoleArn: string | null;
  /** Roles it can become, with the mechanism. */
  roles: { roleArn: string; mechanism: "irsa" | "pod-identity" | "both" }[];
  placement: PlacementView;
}

const view = (p: SaPlacement): PlacementView => ({
  nodes: p.nodes, fargate: p.fargate, windows: p.windows, mayRunOnFargate: p.mayRunOnFargate, pods: p.pods, podIdentity: p.podIdentity, reasons: p.reasons, summary: p.summary,
});
const NO_ROLES = Object.freeze([]) as unknown as ServiceAccountRow["roles"];

/** `placements`: the snapshot's (placementsByCluster), when the caller has them already. */
export function buildServiceAccountRows(snapshot: InventorySnapshot, analysis: Pick<SnapshotAnalysis, "mappings">, placements = placementsByCluster(snapshot)): ServiceAccountRow[] {
  const roles = new Map<string, ServiceAccountRow["roles"]>();
  for (const m of analysis.mappings) {
    const k = `${m.cluster}|${m.namespace}|${m.serviceAccount}`;
    roles.set(k, [...(roles.get(k) ?? []), { roleArn: m.roleArn, mechanism: m.mechanism }]);
  }
  // One placement object per distinct placement: many service accounts of a cluster run on the same nodes, and a
  // kept view of 50,000 rows would otherwise hold 50,000 equal copies. Rows never mutate it.
  const shared = objectInterner<PlacementView>((v) => JSON.stringify(v));
  return snapshot.clusters.flatMap((c) => {
    const ofCluster = placements.get(c) ?? placementsOf(c);
    return c.serviceAccounts.map((sa) => ({
      key: flat(`${c.name}|${sa.namespace}|${sa.name}`),
      accountId: c.accountId,
      region: c.region,
      cluster: c.name,
      namespace: sa.namespace,
      name: sa.name,
      irsaRoleArn: sa.annotations["eks.amazonaws.com/role-arn"] ?? null,
      roles: roles.get(`${c.name}|${sa.namespace}|${sa.name}`)?.sort((a, b) => a.roleArn.localeCompare(b.roleArn)) ?? NO_ROLES,
      placement: shared(view(ofCluster.get(`${sa.namespace}/${sa.name}`)!)),
    }));
  });
}

export const serviceAccountQuerySchema = z.object({
  cluster: z.string().trim().max(100).optional().catch(undefined),
  namespace: z.string().trim().max(253).optional().catch(undefined),
  /** Where its pods run: "fargate", "windows", "nodes", or Pod Identity "unsupported". */
  placement: z.enum(["nodes", "fargate", "windows", "unsupported"]).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(["cluster", "namespace", "name"]).catch("cluster"),
  ...pagingFields,
});
export type ServiceAccountQuery = z.infer<typeof serviceAccountQuerySchema>;

export function queryServiceAccountRows(rows: readonly ServiceAccountRow[], q: ServiceAccountQuery): Page<ServiceAccountRow> {
  const keep = (r: ServiceAccountRow) =>
    (!q.cluster || r.cluster === q.cluster) &&
    (!q.namespace || r.namespace === q.namespace) &&
    (!q.placement ||
      (q.placement === "unsupported" ? r.placement.podIdentity === "unsupported" : q.placement === "nodes" ? r.placement.nodes.length > 0 : r.placement[q.placement].length > 0)) &&
    contains(q.q, r.name, r.namespace, r.irsaRoleArn ?? undefined);
  const key = { cluster: (r: ServiceAccountRow) => r.cluster, namespace: (r: ServiceAccountRow) => r.namespace, name: (r: ServiceAccountRow) => r.name }[q.sort];
  return filterSortedAndPage(rows, { name: q.sort, key, dir: q.dir, ties: [(r: ServiceAccountRow) => r.cluster, (r: ServiceAccountRow) => r.namespace, (r: ServiceAccountRow) => r.name] }, keep, q.page, q.pageSize);
}
