// Drift against the real database and the sandbox's EKS: the seeded fleet's
// out-of-band associations, an approved association deleted outside RoleGate,
// and a role changed out of band; each action files an approval-gated request.
import { DeletePodIdentityAssociationCommand, UpdatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { describe, expect, it } from "vitest";
import { EksGateway } from "@/lib/aws";
import { computeDrift, driftKey } from "@/lib/drift/compute";
import { resolveDrift } from "@/lib/drift/resolve";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { LOC, OTHER_PI_ROLE, PI_ROLE, TARGETS } from "../support/constants";
import { createInput, runner, sandboxAssociations } from "../support/requests";
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
    const report = await computeDrift(w.prisma);
    const cached = await w.prisma.podIdentityAssociation.count();
    expect(cached).toBeGreaterThan(0);
    expect(report.counts["out-of-band"]).toBe(cached);
    expect(report.counts.missing + report.counts.changed).toBe(0);

    const target = report.findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn)!;
    const writesBefore = w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    const r = await resolveDrift(w.deps, alice, { action: "adopt", key: target.key });
    // Approval-gated: still drift while pending.
    expect((await computeDrift(w.prisma)).findings.some((f) => f.key === target.key)).toBe(true);
    const done = await applied(r.id);
    expect(done.items[0]).toMatchObject({ kind: "adopt", status: "applied", outcome: "adopted", resultAssociationId: target.actual!.associationId });
    const writesAfter = w.sandbox.ctx.calls.list({ service: "eks" }).filter((c) => /^(Create|Update|Delete)PodIdentity/.test(c.operation)).length;
    expect(writesAfter).toBe(writesBefore);
    await refresh();
    const after = await computeDrift(w.prisma);
    expect(after.findings.some((f) => f.key === target.key)).toBe(false);
    expect(after.counts["out-of-band"]).toBe(cached - 1);
    expect(await w.prisma.auditEvent.count({ where: { event: "request.item_applied", requestId: r.id } })).toBe(1);
  }, 120_000);

  it("revoke files a delete request for an out-of-band association", async () => {
    await refresh();
    const target = (await computeDrift(w.prisma)).findings.find((f) => f.kind === "out-of-band" && !f.actual?.ownerArn)!;
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
    expect((await computeDrift(w.prisma)).findings.some((f) => f.key === key("svc-drift-missing"))).toBe(false);

    await w.pool.eksFor(LOC).send(new DeletePodIdentityAssociationCommand({ clusterName: "domino-green", associationId }));
    await refresh();
    const missing = (await computeDrift(w.prisma)).findings.find((f) => f.key === key("svc-drift-missing"))!;
    expect(missing).toMatchObject({ kind: "missing", approved: { roleArn: PI_ROLE, associationId, requestId: created.id } });

    const r = await resolveDrift(w.deps, alice, { action: "reapply", key: missing.key });
    await applied(r.id);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-drift-missing")).toHaveLength(1);
    await refresh();
    expect((await computeDrift(w.prisma)).findings.some((f) => f.key === missing.key)).toBe(false);
  }, 120_000);

  it("a role or session-tags setting changed out of band is drift; restore updates it back to the approved role", async () => {
    const created = await applied((await createRequest(w.deps, alice, createInput("svc-drift-changed"))).id);
    const associationId = created.items[0]!.resultAssociationId!;
    await w.pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId, roleArn: OTHER_PI_ROLE }));
    await refresh();
    const changed = (await computeDrift(w.prisma)).findings.find((f) => f.key === key("svc-drift-changed"))!;
    expect(changed.kind).toBe("changed");
    expect(changed.differences.join(" ")).toContain(`approved ${PI_ROLE}, AWS has ${OTHER_PI_ROLE}`);

    await w.pool.eksFor(LOC).send(new UpdatePodIdentityAssociationCommand({ clusterName: "domino-green", associationId, roleArn: OTHER_PI_ROLE, disableSessionTags: true }));
    await refresh();
    const both = (await computeDrift(w.prisma)).findings.find((f) => f.key === key("svc-drift-changed"))!;
    expect(both.differences.some((d) => d.startsWith("session tags"))).toBe(true);

    const r = await resolveDrift(w.deps, alice, { action: "restore", key: changed.key });
    const req = await applied(r.id);
    expect(req.kind).toBe("update");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-drift-changed")[0]).toMatchObject({ roleArn: PI_ROLE });
    await refresh();
    expect((await computeDrift(w.prisma)).findings.some((f) => f.key === changed.key)).toBe(false);
  }, 120_000);
});
