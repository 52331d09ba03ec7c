// /clusters: RoleGate's own access per watched cluster, read live (EKS and the
// cluster's API server); a cluster that cannot be read shows its error instead.
import { runtime } from "@/lib/runtime";
import { roleGateAccess, type AccessDeps, type ClusterRefForAccess, type RoleGateAccess } from "./rolegate-access";

export type ClusterAccessView = { ok: true; access: RoleGateAccess } | { ok: false; error: string };

/** `deps` default to the process's (lib/runtime.ts). */
export async function clusterAccessViews(clusters: ClusterRefForAccess[], deps: AccessDeps = runtime().kube.clusterAccess): Promise<Record<string, ClusterAccessView>> {
  const entries = await Promise.all(
    clusters.map(async (c): Promise<[string, ClusterAccessView]> => {
      try {
        return [c.name, { ok: true, access: await roleGateAccess(deps, c) }];
      } catch (e) {
        return [c.name, { ok: false, error: (e as Error).message }];
      }
    }),
  );
  return Object.fromEntries(entries);
}
