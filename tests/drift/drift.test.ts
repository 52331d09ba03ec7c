// Drift against the real database and the sandbox's EKS: the seeded fleet's
// out-of-band associations, an approved association deleted outside RoleGate,
// and a role changed out of band; each action files an approval-gated request.
import { DeletePodIdentityAssociationCommand, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AwsClientPool, EksGateway } from "@/lib/aws";
import { computeDrift, driftKey } from "@/lib/drift/compute";
import { resolveDrift } from "@/lib/drift/resolve";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import type { Actor } from "@/lib/requests/deps";
import { createInput, makeUser, OTHER_PI_ROLE, openWorld, PI_ROLE, runner, sandboxAssociations, TARGETS, type World } from "../requests/fixtures";

let w: World;
let pool: AwsClientPool;
let eks: EksGateway;
let alice: Actor, ivy: Actor;
const LOC = { accountId: "111122223333", region: "us-east-1" };

beforeAll(async () => {
  w = await openWorld();
  pool = new AwsClientPool({ endpoint: w.sandbox.awsEndpoint, maxAttempts: 3 });
  eks = new EksGateway(pool);
}, 60_000);
afterAll(async () => {
  pool.destroy();
  await w.close();
});
beforeEach(async () => {
  await w.t.reset();
  w.sandbox.ctx.faults.configure({});
  await fetch(`${w.sandbox.awsEndpoint}/_sandbox/reset`, { method: "POST" });
  alice = await makeUser(w, "alice", "requester");
  ivy = await makeUser(w, "ivy", "approver");
});

async function refresh() {
  const r = await startMappingRefresh({ prisma: w.t.prisma, eks, targets: TARGETS }, "test");
  await r.done;
}

/** Files, approves and applies a request through the job runner. */
async function applied(id: string) {
  await approveRequest(w.deps, ivy, { id });
  await runner(w).drain();
  const r = await w.t.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: true } });
  expect(r.status).toBe("applied");
  return r;
}

const key = (sa: string, cluster = "domino-green") => driftKey({ ...LOC, cluster, namespace: "domino-compute", serviceAccount: sa });

describe("drift", () => {
  it("every seeded association is out of band until RoleGate manages it; adopt records ownership without an AWS write", async () => {
    await refresh();
    const report = await computeDrift(w.t.prisma);
    const cached = await w.t.prisma.podIdentityAssociation.count();
    expect(cached).toBeGreaterThan(0);
    expect(report.counts["out-of-band"]).toBe(cached);
    expect(report.counts.missing + report.counts.changed).toBe(0);

    const target = report.findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn)!;
    const writesBefore = w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    const r = await resolveDrift(w.deps, alice, { action: "adopt", key: target.key });
    // Approval-gated: still drift while pending.
    expect((await computeDrift(w.t.prisma)).findings.some((f) => f.key === target.key)).toBe(true);
    const done = await applied(r.id);
    expect(done.items[0]).toMatchObject({ kind: "adopt", status: "applied", outcome: "adopted", resultAssociationId: target.actual!.associationId });
    const writesAfter = w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    expect(writesAfter).toBe(writesBefore);
    await refresh();
    const after = await computeDrift(w.t.prisma);
    expect(after.findings.some((f) => f.key === target.key)).toBe(false);
    expect(after.counts["out-of-band"]).toBe(cached - 1);
    expect(await w.t.prisma.auditEvent.count({ where: { event: "request.item_applied", requestId: r.id } })).toBe(1);
  }, 120_000);

  it("revoke files a delete request for an out-of-band association", async () => {
    await refresh();
    const target = (await computeDrift(w.t.prisma)).findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn)!;
    const r = await resolveDrift(w.deps, alice, { action: "revoke", key: target.key, justification: "Nobody asked for this mapping" });
    const req = await w.t.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(req).toMatchObject({ kind: "delete", status: "pending" });
    expect(req.items[0]).toMatchObject({ kind: "delete", associationId: target.actual!.associationId });
    await expect(resolveDrift(w.deps, alice, { action: "reapply", key: target.key })).rejects.toThrow(/does not apply/);
  }, 120_000);

  it("an approved association deleted in AWS is missing; re-apply creates it again with the approved role", async () => {
    const created = await applied((await createRequest(w.deps, alice, createInput("svc-drift-missing"))).id);
    const associationId = created.items[0]!.resultAssociationId!;
    await refresh();
    expect((await computeDrift(w.t.prisma)).findings.some((f) => f.key === key("svc-drift-missing"))).toBe(false);

    await pool.eksFor(LOC).send(new DeletePodIdentityAssociationCommand({ clusterName: "domino-green", associationId }));
    await refresh();
    const missing = (await computeDrift(w.t.prisma)).findings.find((f) => f.key === key("svc-drift-missing"))!;
    expect(missing).toMatchObject({ kind: "missing", approved: { roleArn: PI_ROLE, associationId, requestId: created.id } });

    const r = await resolveDrift(w.deps, alice, { action: "reapply", key: missing.key });
    await applied(r.id);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-drift-missing")).toHaveLength(1);
    await refresh();
    expect((await computeDrift(w.t.prisma)).findings.some((f) => f.key === missing.key)).toBe(false);
  }, 120_000);

  it("a role or session-tags setting changed out of band is drift; restore updates it back to the approved role", async () => {
    const created = await applied((await createRequest(w.deps, alice, createInput("svc-drift-changed"))).id);
    const associationId = created.items[0]!.resultAssociationId!;
    await pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId, roleArn: OTHER_PI_ROLE }));
    await refresh();
    const changed = (await computeDrift(w.t.prisma)).findings.find((f) => f.key === key("svc-drift-changed"))!;
    expect(changed.kind).toBe("changed");
    expect(changed.differences.join(" ")).toContain(`approved ${PI_ROLE}, AWS has ${OTHER_PI_ROLE}`);

    await pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId, roleArn: OTHER_PI_ROLE, disableSessionTags: true }));
    await refresh();
    const both = (await computeDrift(w.t.prisma)).findings.find((f) => f.key === key("svc-drift-changed"))!;
    expect(both.differences.some((d) => d.startsWith("session tags"))).toBe(true);

    const r = await resolveDrift(w.deps, alice, { action: "restore", key: changed.key });
    const req = await applied(r.id);
    expect(req.kind).toBe("update");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-drift-changed")[0]).toMatchObject({ roleArn: PI_ROLE });
    await refresh();
    expect((await computeDrift(w.t.prisma)).findings.some((f) => f.key === changed.key)).toBe(false);
  }, 120_000);
});
