// Stale-credential pods against the sandbox's Kubernetes API and EKS: the seeded
// fleet's stale pods are found, a dry run deletes nothing, an approved restart
// deletes each pod exactly once (the controller's replacement is not stale), and
// a namespace with automatic restarts is restarted without a request.
import { beforeAll, describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/requests/approve-request";
import { findStalePods } from "@/lib/stale-pods/find";
import { buildItemKinds } from "@/lib/runtime";
import type { ItemKinds } from "@/lib/requests";
import { restartStalePods, setAutoRestart, type RestartDeps } from "@/lib/stale-pods/restart";
import { runner } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, mappings: true });
const { alice, ivy } = w.users;
let deps: RestartDeps & { kinds: ItemKinds };
const GREEN = { accountId: "111122223333", region: "us-east-1", cluster: "domino-green" };
const BLUE = { ...GREEN, cluster: "domino-blue" };

beforeAll(() => {
  const access = { kube: w.kube, kubeAccess: w.kubeAccess, deletionsPerSecond: 20 };
  w.deps.kinds = buildItemKinds({ restart: access });
  deps = { prisma: w.prisma, ...access, kinds: w.deps.kinds };
});

const deletes = () => w.sandbox.ctx.calls.list({ service: "kube", operation: "kube:deletePod" });
const bySa = (pods: { serviceAccount: string; reason: string }[]) =>
  pods.reduce<Record<string, string[]>>((acc, p) => ({ ...acc, [p.serviceAccount]: [...(acc[p.serviceAccount] ?? []), p.reason] }), {});

describe("stale-credential pods", () => {
  it("finds the seeded stale pods: created before the association, predating a role change, association deleted", async () => {
    const green = bySa(await findStalePods(deps, GREEN));
    expect(green["svc-report-builder"]).toEqual(["before-association"]); // the younger pod is fine
    expect(green["svc-mlflow"]).toEqual(["changed-association", "changed-association"]);
    expect(green["svc-churn-model"]).toEqual(["deleted-association"]);
    expect(bySa(await findStalePods(deps, BLUE))["svc-airflow-bridge"]).toEqual(["before-association"]);
  }, 60_000);

  it("dry run lists what would be deleted and deletes nothing", async () => {
    const r = await restartStalePods(deps, alice, GREEN, { dryRun: true });
    expect(r.stale.length).toBeGreaterThanOrEqual(4);
    expect(r.requestId).toBeNull();
    expect(deletes()).toHaveLength(0);
    expect(await w.prisma.podRestart.count()).toBe(0);
  }, 60_000);

  it("behind approval: nothing deleted until approved, then one deletePod per pod, audited, and the replacements are not stale", async () => {
    const stale = await findStalePods(deps, GREEN);
    const r = await restartStalePods(deps, alice, GREEN);
    expect(r.requestId).not.toBeNull();
    expect(r.restarted).toHaveLength(0);
    expect(deletes()).toHaveLength(0);
    // Asking again plans nothing twice.
    const again = await restartStalePods(deps, alice, GREEN);
    expect(again).toMatchObject({ requestId: null, alreadyPlanned: stale.length });

    await approveRequest(w.deps, ivy, { id: r.requestId! });
    await runner(w).drain();
    const request = await w.prisma.request.findUniqueOrThrow({ where: { id: r.requestId! }, include: { items: true } });
    expect(request.status).toBe("applied");
    expect(request.items.every((i) => i.kind === "restart-pods" && i.outcome === "restarted")).toBe(true);
    expect(deletes()).toHaveLength(stale.length);
    expect(deletes().every((c) => c.status === 200)).toBe(true);
    expect(await w.prisma.auditEvent.count({ where: { event: "pod.restarted" } })).toBe(stale.length);
    expect(await findStalePods(deps, GREEN)).toEqual([]);

    // Draining again, or asking again, deletes nothing more.
    await runner(w).drain();
    await restartStalePods(deps, alice, GREEN);
    expect(deletes()).toHaveLength(stale.length);
  }, 120_000);

  it("automatic restarts in a namespace an admin enabled: deleted at once, paced, no request", async () => {
    await setAutoRestart(w.prisma, "admin", { ...BLUE, namespace: "domino-compute", enabled: true });
    const stale = (await findStalePods(deps, BLUE)).filter((p) => p.namespace === "domino-compute");
    expect(stale.length).toBeGreaterThan(0);
    const r = await restartStalePods(deps, alice, BLUE, { namespace: "domino-compute" });
    expect(r.requestId).toBeNull();
    expect(r.restarted.map((p) => p.status)).toEqual(stale.map(() => "deleted"));
    expect(deletes()).toHaveLength(stale.length);
    expect(await w.prisma.auditEvent.count({ where: { event: "lifecycle.auto_restart_set" } })).toBe(1);
    expect(await findStalePods(deps, BLUE, { namespace: "domino-compute" })).toEqual([]);
  }, 120_000);
});
