// Drift against the real database and the sandbox's EKS: the seeded fleet's
// out-of-band associations, an approved association deleted outside RoleGate,
// and a role changed out of band; each action files an approval-gated request.
import { CreatePodIdentityAssociationCommand, DeletePodIdentityAssociationCommand, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { describe, expect, it } from "vitest";
import { EksGateway } from "@/lib/aws";
import { computeDrift, driftKey } from "@/lib/drift/compute";
import { adoptBaseline } from "@/lib/drift/baseline";
import { analyzeSnapshotAsync } from "@/lib/inventory/analysis";
import { loadAdoptBatchSummary } from "@/lib/drift/adopt-batch-summary";
import { bulkResolveDrift } from "@/lib/drift/bulk";
import { resolveDrift } from "@/lib/drift/resolve";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { LOC, OTHER_PI_ROLE, PI_ROLE, TARGETS } from "../support/constants";
import { createInput, runner, sandboxAssociations } from "../support/requests";
import { worldToSnapshot } from "../support/analysis/world-to-snapshot";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const { alice, ivy } = w.users;
const eks = () => new EksGateway(w.pool);

async function refresh() {
  const r = await startMappingRefresh({ prisma: w.prisma, eks: eks(), targets: TARGETS }, "test");
  await r.done;
}

/** Files, approves and applies a request through the job runner. */
async function applied(id: string) {
  await approveRequest(w.deps, ivy, { id });
  await runner(w).drain();
  const r = await w.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: true } });
  expect(r.status).toBe("applied");
  return r;
}

const key = (sa: string, cluster = "domino-green") => driftKey({ ...LOC, cluster, namespace: "domino-compute", serviceAccount: sa });

describe("drift", () => {
  it("every seeded association is out of band until RoleGate manages it; adopt records ownership without an AWS write", async () => {
    await refresh();
    const report = await computeDrift(w.prisma, w.deps.kinds);
    const cached = await w.prisma.podIdentityAssociation.count();
    expect(cached).toBeGreaterThan(0);
    expect(report.counts["out-of-band"]).toBe(cached);
    expect(report.counts.missing + report.counts.changed).toBe(0);

    const target = report.findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn)!;
    const writesBefore = w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    const r = await resolveDrift(w.deps, alice, { action: "adopt", key: target.key });
    // Approval-gated: still drift while pending.
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.some((f) => f.key === target.key)).toBe(true);
    const done = await applied(r.id);
    expect(done.items[0]).toMatchObject({ kind: "adopt", status: "applied", outcome: "adopted", resultAssociationId: target.actual!.associationId });
    const writesAfter = w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    expect(writesAfter).toBe(writesBefore);
    await refresh();
    const after = await computeDrift(w.prisma, w.deps.kinds);
    expect(after.findings.some((f) => f.key === target.key)).toBe(false);
    expect(after.counts["out-of-band"]).toBe(cached - 1);
    expect(await w.prisma.auditEvent.count({ where: { event: "request.item_applied", requestId: r.id } })).toBe(1);
  }, 120_000);

  it("revoke files a delete request for an out-of-band association", async () => {
    await refresh();
    const target = (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn)!;
    const r = await resolveDrift(w.deps, alice, { action: "revoke", key: target.key, justification: "Nobody asked for this mapping" });
    const req = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(req).toMatchObject({ kind: "delete", status: "pending" });
    expect(req.items[0]).toMatchObject({ kind: "delete", associationId: target.actual!.associationId });
    await expect(resolveDrift(w.deps, alice, { action: "reapply", key: target.key })).rejects.toThrow(/does not apply/);
  }, 120_000);

  it("an approved association deleted in AWS is missing; re-apply creates it again with the approved role", async () => {
    const created = await applied((await createRequest(w.deps, alice, createInput("svc-drift-missing"))).id);
    const associationId = created.items[0]!.resultAssociationId!;
    await refresh();
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.some((f) => f.key === key("svc-drift-missing"))).toBe(false);

    await w.pool.eksFor(LOC).send(new DeletePodIdentityAssociationCommand({ clusterName: "domino-green", associationId }));
    await refresh();
    const missing = (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-drift-missing"))!;
    expect(missing).toMatchObject({ kind: "missing", approved: { roleArn: PI_ROLE, associationId, requestId: created.id } });

    const r = await resolveDrift(w.deps, alice, { action: "reapply", key: missing.key });
    await applied(r.id);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-drift-missing")).toHaveLength(1);
    await refresh();
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.some((f) => f.key === missing.key)).toBe(false);
  }, 120_000);

  it("a role or session-tags setting changed out of band is drift; restore updates it back to the approved role", async () => {
    const created = await applied((await createRequest(w.deps, alice, createInput("svc-drift-changed"))).id);
    const associationId = created.items[0]!.resultAssociationId!;
    await w.pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId, roleArn: OTHER_PI_ROLE }));
    await refresh();
    const changed = (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-drift-changed"))!;
    expect(changed.kind).toBe("changed");
    expect(changed.differences.join(" ")).toContain(`approved ${PI_ROLE}, AWS has ${OTHER_PI_ROLE}`);

    await w.pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId, roleArn: OTHER_PI_ROLE, disableSessionTags: true }));
    await refresh();
    const both = (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.key === key("svc-drift-changed"))!;
    expect(both.differences.some((d) => d.startsWith("session tags"))).toBe(true);

    const r = await resolveDrift(w.deps, alice, { action: "restore", key: changed.key });
    const req = await applied(r.id);
    expect(req.kind).toBe("update");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-drift-changed")[0]).toMatchObject({ roleArn: PI_ROLE });
    await refresh();
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.some((f) => f.key === changed.key)).toBe(false);
  }, 120_000);
});

describe("adopt takes its subject from AWS, not the scan cache (issue 10 hole 1)", () => {
  const outOfBand = async () => {
    await refresh();
    return (await computeDrift(w.prisma, w.deps.kinds)).findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn && f.cluster === "domino-green")!;
  };

  it("filing describes the association live: a role changed since the last refresh is what is filed, shown and audited", async () => {
    const f = await outOfBand();
    const associationId = f.actual!.associationId;
    // Out of band, after the refresh: the cache still says the old role.
    await w.pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: f.cluster, associationId, roleArn: OTHER_PI_ROLE }));
    expect(f.actual!.roleArn).not.toBe(OTHER_PI_ROLE);
    const r = await resolveDrift(w.deps, alice, { action: "adopt", key: f.key });
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    expect(item).toMatchObject({ kind: "adopt", associationId, roleArn: OTHER_PI_ROLE, subjectRoleArn: OTHER_PI_ROLE, namespace: f.namespace, serviceAccount: f.serviceAccount });
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { subject: `request:${r.id}`, event: "request.created" } });
    expect((audit.details as { subjects: unknown[] }).subjects).toEqual([expect.objectContaining({ associationId, subjectRoleArn: OTHER_PI_ROLE, namespace: f.namespace, serviceAccount: f.serviceAccount })]);
    const notice = await w.prisma.job.findFirstOrThrow({ where: { queue: "notify", payload: { path: ["requestId"], equals: r.id } } });
    expect((notice.payload as { text: string }).text).toContain(OTHER_PI_ROLE);
  }, 120_000);

  it("an association deleted since the refresh cannot be adopted: 400 naming it, nothing filed", async () => {
    const f = await outOfBand();
    await w.pool.eksFor(LOC).send(new DeletePodIdentityAssociationCommand({ clusterName: f.cluster, associationId: f.actual!.associationId }));
    await expect(resolveDrift(w.deps, alice, { action: "adopt", key: f.key })).rejects.toMatchObject({ code: "invalid", fields: { associationId: [expect.stringContaining(`no association ${f.actual!.associationId}`)] } });
    expect(await w.prisma.request.count()).toBe(0);
  }, 120_000);

  it("apply compares the association id: one deleted and re-created with the same SA and role after approval fails the item (AdoptMismatch) and records nothing", async () => {
    const f = await outOfBand();
    const old = f.actual!;
    const r = await resolveDrift(w.deps, alice, { action: "adopt", key: f.key });
    await approveRequest(w.deps, ivy, { id: r.id });
    const eksCalls = () => w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    // Between approval and apply, out of band: the same SA and role, but another association (another id).
    await w.pool.eksFor(LOC).send(new DeletePodIdentityAssociationCommand({ clusterName: f.cluster, associationId: old.associationId }));
    await w.pool.eksFor(LOC).send(new CreatePodIdentityAssociationCommand({ clusterName: f.cluster, namespace: f.namespace, serviceAccount: f.serviceAccount, roleArn: old.roleArn, ...(old.targetRoleArn ? { targetRoleArn: old.targetRoleArn } : {}) }));
    const replacement = sandboxAssociations(w, f.cluster, f.namespace, f.serviceAccount)[0]!;
    expect(replacement.associationId).not.toBe(old.associationId);
    const before = eksCalls();
    await runner(w).drain();
    const req = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(req.status).toBe("failed");
    expect(req.items[0]).toMatchObject({ status: "failed", lastErrorCode: "AdoptMismatch", resultAssociationId: null });
    expect(req.items[0]!.lastErrorMessage).toContain(old.associationId);
    expect(eksCalls()).toBe(before);
  }, 120_000);

  it("apply fails an adopt whose association now maps another role", async () => {
    const f = await outOfBand();
    const r = await resolveDrift(w.deps, alice, { action: "adopt", key: f.key });
    await approveRequest(w.deps, ivy, { id: r.id });
    sandboxAssociations(w, f.cluster, f.namespace, f.serviceAccount)[0]!.roleArn = OTHER_PI_ROLE;
    await runner(w).drain();
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    expect(item).toMatchObject({ status: "failed", lastErrorCode: "AdoptMismatch", resultAssociationId: null });
    expect(item.lastErrorMessage).toContain(`is now ${f.namespace}/${f.serviceAccount} -> ${OTHER_PI_ROLE}`);
  }, 120_000);
});

describe("drift bulk and estate baseline", () => {
  it("bulk adopt files ONE request with an adopt item per selected association; an unknown id is refused and files nothing", async () => {
    await refresh();
    const report = await computeDrift(w.prisma, w.deps.kinds);
    const picked = report.findings.filter((f) => f.kind === "out-of-band" && !f.actual?.ownerArn).slice(0, 3).map((f) => f.key);
    await expect(bulkResolveDrift(w.deps, alice, { action: "adopt", keys: [...picked, "111122223333/us-east-1/domino-green/x/forged"] })).rejects.toMatchObject({ code: "invalid" });
    expect(await w.prisma.request.count()).toBe(0);
    const r = await bulkResolveDrift(w.deps, alice, { action: "adopt", keys: picked });
    expect(await loadAdoptBatchSummary(w.prisma, r.id)).toMatchObject({ total: 3, baseline: false, setApart: null });
    const done = await applied(r.id);
    expect(done.items.map((i) => i.kind)).toEqual(["adopt", "adopt", "adopt"]);
    await refresh();
    const after = await computeDrift(w.prisma, w.deps.kinds);
    expect(after.counts["out-of-band"]).toBe(report.counts["out-of-band"] - 3);
  }, 120_000);

  it("bulk revoke files ONE request of deletes; an add-on-owned association in the selection refuses the whole call", async () => {
    await refresh();
    const report = await computeDrift(w.prisma, w.deps.kinds);
    const owned = report.findings.find((f) => f.kind === "out-of-band" && f.actual?.ownerArn)!;
    expect(owned, "the fleet has an add-on-owned association").toBeTruthy();
    const picked = report.findings.filter((f) => f.kind === "out-of-band" && !f.actual?.ownerArn && f.cluster === "domino-green").slice(0, 2);
    await expect(bulkResolveDrift(w.deps, alice, { action: "revoke", keys: [...picked.map((f) => f.key), owned.key] })).rejects.toMatchObject({ code: "invalid", fields: { keys: [expect.stringContaining("owned by")] } });
    expect(await w.prisma.request.count()).toBe(0);
    const r = await bulkResolveDrift(w.deps, alice, { action: "revoke", keys: picked.map((f) => f.key) });
    const done = await applied(r.id);
    expect(done.items.filter((i) => i.kind === "delete")).toHaveLength(2);
    for (const f of picked) expect(sandboxAssociations(w, f.cluster, f.namespace, f.serviceAccount)).toHaveLength(0);
  }, 120_000);

  it("the baseline adopts the estate in one request, sets apart associations with findings, and drift then shows only later changes", async () => {
    const root = await w.makeUser("root", "admin");
    await refresh();
    const before = await computeDrift(w.prisma, w.deps.kinds);
    // Without a scan, findings are unknown: everything is set apart and nothing is filed.
    await expect(adoptBaseline(w.deps, root, null)).rejects.toMatchObject({ code: "invalid" });
    expect(await w.prisma.request.count()).toBe(0);
    const b = await adoptBaseline(w.deps, root, (await analyzeSnapshotAsync(worldToSnapshot(w.sandbox.ctx.world))).findings);
    expect(b.adopted + b.setApart.length).toBe(before.counts["out-of-band"]);
    expect(b.setApart.length).toBeGreaterThan(0);
    expect(b.setApart.every((s) => s.findings.length > 0)).toBe(true);
    expect(await w.prisma.request.count()).toBe(1);
    // The request page's grouped summary, from the request's items and what its filing recorded.
    const summary = (await loadAdoptBatchSummary(w.prisma, b.id))!;
    expect(summary).toMatchObject({ total: b.adopted, baseline: true });
    for (const groups of [summary.byCluster, summary.byNamespace, summary.byRole]) expect(groups.reduce((n, [, k]) => n + k, 0)).toBe(b.adopted);
    const items = await w.prisma.requestItem.findMany({ where: { requestId: b.id } });
    expect(summary.byCluster).toEqual(expect.arrayContaining([["domino-green", items.filter((i) => i.cluster === "domino-green").length]]));
    expect(summary.setApart).toEqual(b.setApart);
    expect(summary.setApart!.every((s) => s.findings.length > 0)).toBe(true);
    await applied(b.id);
    await refresh();
    const after = await computeDrift(w.prisma, w.deps.kinds);
    expect(after.findings.filter((f) => f.kind === "out-of-band").map((f) => f.key).sort()).toEqual(b.setApart.map((s) => s.key).sort());
    // A later out-of-band change is what drift shows now.
    const target = before.findings.find((f) => !b.setApart.some((s) => s.key === f.key) && !f.actual?.ownerArn)!;
    await w.pool.eksFor({ accountId: target.accountId, region: target.region }).send(new UpdatePodIdentityAssociationCommand({ clusterName: target.cluster, associationId: target.actual!.associationId, roleArn: OTHER_PI_ROLE }));
    await refresh();
    expect((await computeDrift(w.prisma, w.deps.kinds)).findings.filter((f) => f.kind === "changed").map((f) => f.key)).toEqual([target.key]);
  }, 180_000);
});
