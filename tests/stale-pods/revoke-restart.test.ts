// Revocation and expiry requests carry the stale-pod restart in the same request:
// a delete request (restartPods, default on) gets a restart-pods item after the
// delete with the SA's running pods; the expiry sweep adds it where the namespace
// restarts automatically and leaves it out elsewhere. Against the sandbox + DB.
import { beforeAll, describe, expect, it } from "vitest";
import { runExpirySweep } from "@/lib/workers/request-handlers";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { buildItemKinds } from "@/lib/runtime";
import { setAutoRestart, type RestartDeps } from "@/lib/stale-pods/restart";
import { runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, mappings: true });
const { alice, ivy } = w.users;
let deps: RestartDeps;
const GREEN = { accountId: "111122223333", region: "us-east-1", cluster: "domino-green" };
const NS = "domino-compute";
const SA = "svc-mlflow";
const ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

beforeAll(() => {
  deps = { prisma: w.prisma, kube: w.kube, kubeAccess: w.kubeAccess, deletionsPerSecond: 20 };
  w.deps.kinds = buildItemKinds({ restart: deps });
});

const deletes = () => w.sandbox.ctx.calls.list({ service: "kube", operation: "kube:deletePod" });
const saPods = async () => (await deps.kube.listPods(GREEN.cluster, { namespace: NS })).filter((p) => p.serviceAccountName === SA && p.phase !== "Succeeded" && p.phase !== "Failed");

describe("revocation with the pod restart in the same request", () => {
  it("revoke with restartPods: association deleted first, then each pod of the SA deleted exactly once; the re-created pods have no Pod Identity env", async () => {
    const before = await saPods();
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((p) => ENV in p.credentialEnv)).toBe(true);
    const r = await createRequest(w.deps, alice, { kind: "delete", cluster: GREEN.cluster, namespace: NS, serviceAccount: SA, disableSessionTags: false, tags: {}, restartPods: true, justification: "Revoke mlflow's association and its cached credentials." });
    const items = await w.prisma.requestItem.findMany({ where: { requestId: r.id }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.kind)).toEqual(["delete", "restart-pods"]);
    expect((await w.prisma.podRestart.findMany({ where: { requestItemId: items[1]!.id } })).map((p) => p.podUid).sort()).toEqual(before.map((p) => p.uid).sort());
    expect(deletes()).toHaveLength(0);

    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    const done = await w.prisma.requestItem.findMany({ where: { requestId: r.id }, orderBy: { position: "asc" } });
    expect(done.map((i) => [i.status, i.outcome])).toEqual([["applied", "deleted"], ["applied", "restarted"]]);
    expect(done[1]!.appliedAt!.getTime()).toBeGreaterThanOrEqual(done[0]!.appliedAt!.getTime());
    expect(sandboxAssociations(w, GREEN.cluster, NS, SA)).toHaveLength(0);
    expect(deletes()).toHaveLength(before.length);
    expect(deletes().every((c) => c.status === 200 && c.cluster === GREEN.cluster)).toBe(true);
    // The call log does not name pods: one pod.restarted audit event and one deleted PodRestart row per pod.
    for (const p of before) {
      expect(await w.prisma.auditEvent.count({ where: { event: "pod.restarted", subject: `pod:${GREEN.cluster}/${NS}/${p.name}` } })).toBe(1);
      expect(await w.prisma.podRestart.findFirstOrThrow({ where: { podUid: p.uid } })).toMatchObject({ status: "deleted", requestItemId: done[1]!.id });
    }
    const after = await saPods();
    expect(after.length).toBe(before.length);
    expect(after.some((p) => before.some((b) => b.uid === p.uid))).toBe(false);
    expect(after.every((p) => !(ENV in p.credentialEnv))).toBe(true);

    await runner(w).drain();
    expect(deletes()).toHaveLength(before.length);
  }, 120_000);

  it("restartPods: false files the delete alone", async () => {
    const r = await createRequest(w.deps, alice, { kind: "delete", cluster: GREEN.cluster, namespace: NS, serviceAccount: SA, disableSessionTags: false, tags: {}, restartPods: false, justification: "Revoke without restarting the pods." });
    expect((await w.prisma.requestItem.findMany({ where: { requestId: r.id } })).map((i) => i.kind)).toEqual(["delete"]);
    expect(await w.prisma.podRestart.count()).toBe(0);
  }, 60_000);
});

describe("expiry revocation follows the namespace's restart setting", () => {
  // A time-bound mapping of svc-mlflow's existing association, applied and due.
  async function dueMapping(expiresAt: Date) {
    const assoc = sandboxAssociations(w, GREEN.cluster, NS, SA)[0]!;
    const request = await w.prisma.request.create({
      data: {
        kind: "create", status: "applied", requesterId: alice.id, justification: "time-bound mlflow access", requiredApprovals: 1, expiresAt, createdAt: new Date(expiresAt.getTime() - 3600_000),
        items: { create: { kind: "create", status: "applied", cluster: GREEN.cluster, accountId: GREEN.accountId, region: GREEN.region, namespace: NS, serviceAccount: SA, roleArn: assoc.roleArn, mappingExpiresAt: expiresAt, resultAssociationId: assoc.associationId, clientRequestToken: "t" } },
      },
    });
    return request.id;
  }

  it("auto-restart namespace: the system request carries a restart-pods item after the delete, applied without approval, each pod deleted once", async () => {
    await setAutoRestart(w.prisma, "admin", { ...GREEN, namespace: NS, enabled: true });
    const before = await saPods();
    const at = new Date();
    await dueMapping(new Date(at.getTime() - 1000));
    const { revocations } = await runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: () => at });
    expect(revocations).toHaveLength(1);
    const items = await w.prisma.requestItem.findMany({ where: { requestId: revocations[0]! }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.kind)).toEqual(["delete", "restart-pods"]);
    await runner(w).drain();
    const request = await w.prisma.request.findUniqueOrThrow({ where: { id: revocations[0]! }, include: { items: { orderBy: { position: "asc" } } } });
    expect(request.status).toBe("applied");
    expect(request.items.map((i) => i.outcome)).toEqual(["deleted", "restarted"]);
    expect(sandboxAssociations(w, GREEN.cluster, NS, SA)).toHaveLength(0);
    expect(deletes()).toHaveLength(before.length);
    expect((await saPods()).every((p) => !(ENV in p.credentialEnv))).toBe(true);
  }, 120_000);

  it("namespace without automatic restarts: the system request revokes only; the pods are left to /stale-pods", async () => {
    const at = new Date();
    await dueMapping(new Date(at.getTime() - 1000));
    const { revocations } = await runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: () => at });
    const items = await w.prisma.requestItem.findMany({ where: { requestId: revocations[0]! } });
    expect(items.map((i) => i.kind)).toEqual(["delete"]);
    await runner(w).drain();
    expect(deletes()).toHaveLength(0);
    expect(await w.prisma.podRestart.count()).toBe(0);
  }, 120_000);
});
