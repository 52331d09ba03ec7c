// Revocation requests offer the restart as part of the same request: a delete
// item's service account keeps its cached credentials in running pods, so the
// request also carries a "restart-pods" item per deleted association, positioned
// after the association items (applied after the delete), with that SA's pods
// running now planned (PodRestart, once per pod uid) and deleted by the job
// runner's restart applier.
// Kubernetes is reached only through the item-kind registry's pod lister (wired
// with the "restart-pods" kind in lib/runtime.ts); a process without one files no restart item.
import { randomUUID } from "node:crypto";
import type { Tx } from "./deps";
import type { ItemKinds, RunningPod } from "./item-kinds";
import { clientRequestToken } from "./tokens";

export type { PodLister, RunningPod } from "./item-kinds";

export interface RevokedSa {
  cluster: string;
  namespace: string;
  serviceAccount: string;
}

export interface RestartPlan extends RevokedSa {
  pods: RunningPod[];
}

/** The SA's pods running now, read before the filing transaction; null when the process has no pod lister. */
export async function planRevocationRestarts(kinds: Pick<ItemKinds, "podLister">, targets: RevokedSa[]): Promise<RestartPlan[] | null> {
  const list = kinds.podLister;
  if (!list || !targets.length) return null;
  const plans: RestartPlan[] = [];
  for (const t of targets) {
    if (plans.some((p) => p.cluster === t.cluster && p.namespace === t.namespace && p.serviceAccount === t.serviceAccount)) continue;
    const pods = (await list(t.cluster, t.namespace)).filter((p) => p.serviceAccountName === t.serviceAccount && p.phase !== "Succeeded" && p.phase !== "Failed");
    plans.push({ ...t, pods });
  }
  return plans;
}

/** Writes one restart-pods item per plan from `position` on, with its pods not planned by another restart. Returns the pods planned. */
export async function addRevocationRestartItems(
  tx: Tx,
  requestId: string,
  position: number,
  plans: RestartPlan[],
  where: (p: RevokedSa) => { accountId: string; region: string },
  requestedBy: string,
  detail: string,
  reason = "revoked-association",
): Promise<number> {
  let planned = 0;
  for (const [i, plan] of plans.entries()) {
    const { accountId, region } = where(plan);
    const itemId = randomUUID();
    await tx.requestItem.create({
      data: {
        id: itemId, requestId, position: position + i, kind: "restart-pods", cluster: plan.cluster, accountId, region,
        namespace: plan.namespace, serviceAccount: plan.serviceAccount, clientRequestToken: clientRequestToken(itemId),
      },
    });
    const uids = plan.pods.map((p) => p.uid);
    const taken = new Set((await tx.podRestart.findMany({ where: { accountId, region, cluster: plan.cluster, podUid: { in: uids } }, select: { podUid: true } })).map((p) => p.podUid));
    const fresh = plan.pods.filter((p) => !taken.has(p.uid));
    if (fresh.length) {
      await tx.podRestart.createMany({
        data: fresh.map((p) => ({
          requestItemId: itemId, accountId, region, cluster: plan.cluster, namespace: p.namespace, podName: p.name, podUid: p.uid,
          serviceAccount: p.serviceAccountName, reason, detail: `started ${p.creationTimestamp}; ${detail}`, requestedBy,
        })),
        skipDuplicates: true,
      });
    }
    planned += fresh.length;
  }
  return planned;
}
