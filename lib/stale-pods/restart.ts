// Restarting stale-credential pods: a dry run lists what would be deleted;
// otherwise each pod is planned once (PodRestart, unique per pod uid) and
// - in namespaces where an admin enabled automatic restarts, deleted at once;
// - elsewhere, carried by a request (items of kind "restart-pods", one per SA)
//   that needs approval and is applied by the job runner (restartItemKind, wired in lib/runtime.ts).
// Deletions are rate limited per cluster and audited one event per pod, in the
// transaction that records the pod's outcome.
import { recordAudit } from "@/lib/audit/record";
import type { PrismaClient, PodRestart, RequestItem } from "@/lib/db/generated/client";
import type { KubeAccess, KubeGateway } from "@/lib/kube";
import { deletePod } from "@/lib/kube/delete-pod";
import { roleGateAccess, type AccessDeps } from "@/lib/cluster-access/rolegate-access";
import { fileRequest, type Actor, type FilingDeps, type ItemKind, type PodLister } from "@/lib/requests";
import { findStalePods, type ClusterRef, type StalePod } from "./find";

export const RESTART_ITEM_KIND = "restart-pods";
/** Default: at most this many pod deletions per second per cluster. */
const DEFAULT_DELETIONS_PER_SECOND = 5;

export interface RestartDeps {
  prisma: PrismaClient;
  kube: KubeGateway;
  kubeAccess: KubeAccess;
  /** RoleGate's own access (EKS access entry + SelfSubjectAccessReview): restarts check they may delete pods first. */
  access?: AccessDeps;
  deletionsPerSecond?: number;
  pendingTtlMs?: number;
  now?: () => Date;
}

interface RestartResult {
  dryRun: boolean;
  /** Every stale pod found (the dry run's answer). */
  stale: StalePod[];
  /** Pods deleted now (namespaces with automatic restarts). */
  restarted: { namespace: string; name: string; status: string }[];
  /** The request carrying the rest, awaiting approval. */
  requestId: string | null;
  /** Pods already planned by an earlier restart. */
  alreadyPlanned: number;
}

// Per-cluster pacing: the time the next deletion may start.
const nextSlot = new Map<string, number>();
async function paced(cluster: string, perSecond: number): Promise<void> {
  const gap = 1000 / Math.max(perSecond, 0.001);
  const at = Math.max(Date.now(), nextSlot.get(cluster) ?? 0);
  nextSlot.set(cluster, at + gap);
  const wait = at - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

async function autoRestartNamespaces(prisma: Pick<PrismaClient, "namespaceRestartSetting">, ref: ClusterRef): Promise<Set<string>> {
  const rows = await prisma.namespaceRestartSetting.findMany({ where: { accountId: ref.accountId, region: ref.region, cluster: ref.cluster, autoRestart: true } });
  return new Set(rows.map((r) => r.namespace));
}

export async function restartStalePods(deps: RestartDeps & Pick<FilingDeps, "kinds">, actor: Actor, ref: ClusterRef, opts: { namespace?: string; dryRun?: boolean } = {}): Promise<RestartResult> {
  const stale = await findStalePods({ prisma: deps.prisma, kube: deps.kube }, ref, { namespace: opts.namespace });
  const result: RestartResult = { dryRun: !!opts.dryRun, stale, restarted: [], requestId: null, alreadyPlanned: 0 };
  if (opts.dryRun || !stale.length) return result;
  const planned = await deps.prisma.podRestart.findMany({ where: { accountId: ref.accountId, region: ref.region, cluster: ref.cluster, podUid: { in: stale.map((p) => p.uid) } }, select: { podUid: true } });
  const known = new Set(planned.map((p) => p.podUid));
  const fresh = stale.filter((p) => !known.has(p.uid));
  result.alreadyPlanned = stale.length - fresh.length;
  const auto = await autoRestartNamespaces(deps.prisma, ref);

  const immediate = fresh.filter((p) => auto.has(p.namespace));
  if (immediate.length) {
    await deps.prisma.podRestart.createMany({ data: immediate.map((p) => row(p, null, actor.login)), skipDuplicates: true });
    const rows = await deps.prisma.podRestart.findMany({ where: { requestItemId: null, status: "planned", cluster: ref.cluster, podUid: { in: immediate.map((p) => p.uid) } } });
    const outcome = await executeRestarts(deps, rows, actor.login, ref.clusterArn);
    result.restarted = outcome.map((o) => ({ namespace: o.namespace, name: o.podName, status: o.status }));
  }

  const gated = fresh.filter((p) => !auto.has(p.namespace));
  if (gated.length) {
    const groups = new Map<string, StalePod[]>();
    for (const p of gated) groups.set(`${p.namespace}/${p.serviceAccount}`, [...(groups.get(`${p.namespace}/${p.serviceAccount}`) ?? []), p]);
    const items = [...groups.values()].map((pods) => ({ cluster: ref.cluster, namespace: pods[0]!.namespace, serviceAccount: pods[0]!.serviceAccount, roleArn: null as string | null, pods }));
    const { id } = await fileRequest(deps, {
      kind: "batch",
      requester: actor,
      justification: `Restart ${gated.length} pod(s) with stale or missing Pod Identity credentials on ${ref.cluster}.`,
      policyFor: items.map((i) => ({ accountId: ref.accountId, region: ref.region, cluster: i.cluster, namespace: i.namespace, roleArn: "*" })),
      items: items.map((item) => ({
        kind: RESTART_ITEM_KIND, cluster: ref.cluster, accountId: ref.accountId, region: ref.region, namespace: item.namespace, serviceAccount: item.serviceAccount,
        with: async (tx, itemId) => void (await tx.podRestart.createMany({ data: item.pods.map((p) => row(p, itemId, actor.login)) })),
      })),
      audit: {
        item: items[0]!,
        details: ({ policy }) => ({ kind: "batch", restartPods: true, items: items.length, pods: gated.map((p) => `${p.namespace}/${p.name}`), requiredApprovals: policy.requiredApprovals }),
      },
      notification: `${actor.login} asks to restart ${gated.length} stale pod(s) on ${ref.cluster}`,
    });
    result.requestId = id;
  }
  return result;
}

function row(p: StalePod, requestItemId: string | null, requestedBy: string) {
  return { requestItemId, accountId: p.accountId, region: p.region, cluster: p.cluster, namespace: p.namespace, podName: p.name, podUid: p.uid, serviceAccount: p.serviceAccount, reason: p.reason, detail: p.detail, requestedBy };
}

/** Deletes planned pods once each (CAS planned -> deleting), paced per cluster, one audit event per pod. */
async function executeRestarts(deps: RestartDeps, rows: PodRestart[], actor: string, clusterArn?: string): Promise<PodRestart[]> {
  const done: PodRestart[] = [];
  for (const r of rows) {
    const claim = await deps.prisma.podRestart.updateMany({ where: { id: r.id, status: "planned" }, data: { status: "deleting" } });
    if (claim.count !== 1) continue; // another runner has it
    await paced(`${r.accountId}/${r.region}/${r.cluster}`, deps.deletionsPerSecond ?? DEFAULT_DELETIONS_PER_SECOND);
    let status: string;
    let error: string | null = null;
    try {
      status = await deletePod(deps.kubeAccess, { cluster: r.cluster, clusterArn, namespace: r.namespace, name: r.podName, uid: r.podUid });
    } catch (e) {
      status = "failed";
      error = (e as Error).message;
    }
    const updated = await deps.prisma.$transaction(async (tx) => {
      const u = await tx.podRestart.update({ where: { id: r.id }, data: { status, error, deletedAt: status === "failed" ? null : deps.now?.() ?? new Date() } });
      await recordAudit(tx, {
        actor,
        event: status === "failed" ? "pod.restart_failed" : "pod.restarted",
        subject: `pod:${r.cluster}/${r.namespace}/${r.podName}`,
        cluster: r.cluster,
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        details: { podUid: r.podUid, reason: r.reason, detail: r.detail, outcome: status, ...(error ? { error } : {}), ...(r.requestItemId ? { requestItemId: r.requestItemId } : { automatic: true }) },
      });
      return u;
    });
    done.push(updated);
  }
  return done;
}

export const DELETE_PODS_PRECHECK = "kube-delete-pods";

/** The restart precheck: may RoleGate delete pods in the item's namespace? Fails with the commands that grant it. */
export async function deletePodsPrecheck(access: AccessDeps, item: Pick<RequestItem, "accountId" | "region" | "cluster" | "namespace">) {
  const a = await roleGateAccess(access, { name: item.cluster, accountId: item.accountId, region: item.region }, item.namespace);
  if (a.canDeletePods) return { id: DELETE_PODS_PRECHECK, status: "pass" as const, message: `RoleGate (${a.principalArn}) may delete pods in ${item.namespace} on ${item.cluster}.` };
  const why = a.entry ? "its access policies do not allow deleting pods there" : "it has no EKS access entry on the cluster";
  return {
    id: DELETE_PODS_PRECHECK,
    status: "fail" as const,
    message: `RoleGate (${a.principalArn}) may not delete pods in ${item.namespace} on ${item.cluster}: ${why}. Grant it: ${a.fixCommands.join(" && ")}`,
  };
}

/** Kubernetes access for restarts, wired where the process is (lib/runtime.ts); the database comes with each apply. */
export type RestartAccess = Omit<RestartDeps, "prisma" | "now" | "pendingTtlMs">;

/**
 * The "restart-pods" item kind: applied by the job runner, no association prechecks,
 * approved under the request's policy. With RoleGate's own cluster access wired
 * (access), it declares the kube-delete-pods precheck and checks it before deleting.
 */
export function restartItemKind(access: RestartAccess): ItemKind {
  const own = access.access;
  return {
    kind: RESTART_ITEM_KIND,
    prechecks: "none",
    approval: "policy",
    ...(own ? { check: async (_location, item) => [await deletePodsPrecheck(own, item)] } : {}),
    async apply({ prisma }, _location, item) {
      if (own) {
        // Checked before any deletion: without delete rights every pod would fail one by one.
        const check = await deletePodsPrecheck(own, item);
        if (check.status === "fail") return { ok: false, errorCode: "PrecheckFailed", errorMessage: `Not sent to the cluster: ${check.id}: ${check.message}` };
      }
      const deps = { ...access, prisma };
      // Failed deletions go back to planned so a retry of the request tries them again.
      await prisma.podRestart.updateMany({ where: { requestItemId: item.id, status: "failed" }, data: { status: "planned" } });
      const rows = await prisma.podRestart.findMany({ where: { requestItemId: item.id, status: "planned" }, orderBy: { podName: "asc" } });
      const out = await executeRestarts(deps, rows, "system");
      const failed = out.filter((o) => o.status === "failed");
      if (failed.length) return { ok: false, errorCode: "PodDeleteFailed", errorMessage: `${failed.length} pod(s) not deleted: ${failed[0]!.error}` };
      return { ok: true, outcome: "restarted" };
    },
  };
}

/** What revocations use to plan the revoked SA's pods (lib/requests/revoke-restart.ts). */
export function revocationPodLister(access: Pick<RestartAccess, "kube">): PodLister {
  return (cluster, namespace) => access.kube.listPods(cluster, { namespace });
}

export async function setAutoRestart(prisma: PrismaClient, actor: string, input: { accountId: string; region: string; cluster: string; namespace: string; enabled: boolean }) {
  return prisma.$transaction(async (tx) => {
    const where = { accountId_region_cluster_namespace: { accountId: input.accountId, region: input.region, cluster: input.cluster, namespace: input.namespace } };
    const row = await tx.namespaceRestartSetting.upsert({
      where,
      create: { accountId: input.accountId, region: input.region, cluster: input.cluster, namespace: input.namespace, autoRestart: input.enabled, updatedBy: actor },
      update: { autoRestart: input.enabled, updatedBy: actor },
    });
    await recordAudit(tx, { actor, event: "lifecycle.auto_restart_set", subject: `namespace:${input.cluster}/${input.namespace}`, cluster: input.cluster, namespace: input.namespace, details: { enabled: input.enabled } });
    return row;
  });
}
