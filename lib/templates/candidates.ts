// The service accounts a template matches now (the dry run, and what a refresh
// maps): on each watched cluster its entries name, the template's namespace,
// names matching its pattern (lib/trust's linear-time matcher), each with what
// stands in the way: an association already (from the last mappings refresh) or
// a mapping this template (any version of the name) already made.
import type { AssociationTemplate } from "@/lib/db/generated/client";
import { compileWildcard } from "@/lib/trust";
import { templateClusters, watchedClusters, type WatchedCluster } from "./clusters";
import type { TemplateDeps } from "./deps";

export type TemplateScope = Pick<AssociationTemplate, "name" | "clusters" | "namespace" | "serviceAccountPattern">;

export interface Candidate {
  cluster: WatchedCluster;
  namespace: string;
  serviceAccount: string;
  /** would-map: nothing maps it yet; has-association: it has one (not made by this template); mapped: this template mapped it (requestId). */
  state: "would-map" | "has-association" | "mapped";
  requestId?: string;
}

export interface CandidateScan {
  candidates: Candidate[];
  /** Clusters whose service accounts could not be read now. */
  errors: { cluster: string; error: string }[];
}

export async function templateCandidates(deps: Pick<TemplateDeps, "prisma" | "kube" | "targets">, t: TemplateScope): Promise<CandidateScan> {
  const clusters = templateClusters(t.clusters, await watchedClusters(deps.prisma, deps.targets));
  const pattern = compileWildcard(t.serviceAccountPattern);
  const out: CandidateScan = { candidates: [], errors: [] };
  for (const cluster of clusters) {
    let names: string[];
    try {
      const sas = await deps.kube.listServiceAccounts(cluster.name, cluster.arn ?? undefined);
      names = sas.filter((sa) => sa.namespace === t.namespace && pattern.test(sa.name)).map((sa) => sa.name).sort();
    } catch (e) {
      out.errors.push({ cluster: cluster.name, error: (e as Error).message });
      continue;
    }
    if (!names.length) continue;
    const associated = new Set(
      (await deps.prisma.podIdentityAssociation.findMany({ where: { clusterId: cluster.id, namespace: t.namespace, serviceAccount: { in: names } }, select: { serviceAccount: true } })).map((a) => a.serviceAccount),
    );
    const mapped = new Map(
      (await deps.prisma.requestItem.findMany({
        where: { kind: "create", template: { name: t.name }, accountId: cluster.accountId, region: cluster.region, cluster: cluster.name, namespace: t.namespace, serviceAccount: { in: names } },
        select: { serviceAccount: true, requestId: true },
      })).map((i) => [i.serviceAccount, i.requestId]),
    );
    for (const serviceAccount of names) {
      const requestId = mapped.get(serviceAccount);
      const state = requestId ? "mapped" : associated.has(serviceAccount) ? "has-association" : "would-map";
      out.candidates.push({ cluster, namespace: t.namespace, serviceAccount, state, ...(requestId ? { requestId } : {}) });
    }
  }
  return out;
}
