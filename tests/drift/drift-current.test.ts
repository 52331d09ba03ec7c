// The kept drift report (lib/drift/current.ts): the same object while its tables
// do not change, and after any change to them (an association created, changed
// or deleted, a cluster's refresh failing, a request applied) exactly the report
// computeDrift builds from scratch.
import { CreatePodIdentityAssociationCommand } from "@aws-sdk/client-eks";
import { describe, expect, it } from "vitest";
import { EksGateway } from "@/lib/aws";
import type { BaselinePlan } from "@/lib/drift/baseline";
import { computeDrift, findingsOfKind, type DriftFinding } from "@/lib/drift/compute";
import type { Finding } from "@/lib/inventory/analysis";
import { currentDrift } from "@/lib/drift/current";
import { driftFingerprint } from "@/lib/drift/fingerprint";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { LOC, OTHER_PI_ROLE, TARGETS } from "../support/constants";
import { createInput, runner } from "../support/requests";
import { groupBy } from "@/lib/util/group-by";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true, reset: "once" });
const { alice, ivy } = w.users;

async function refresh() {
  await (await startMappingRefresh({ prisma: w.prisma, eks: new EksGateway(w.pool), targets: TARGETS }, "test")).done;
}

/** The kept report, checked against a report computed from scratch (computedAt aside). */
async function current() {
  const kept = await (await currentDrift(w.deps)).report;
  const fresh = await computeDrift(w.prisma, w.deps.kinds);
  expect({ ...kept, computedAt: "" }).toEqual({ ...fresh, computedAt: "" });
  // Each kind's findings are one run of the report, cut without filtering the others (the page and the API page them).
  for (const kind of ["out-of-band", "missing", "changed"] as const) {
    const run = findingsOfKind(kept, kind);
    const filtered = kept.findings.filter((f) => f.kind === kind);
    expect(run.total).toBe(filtered.length);
    expect(run.slice(0, run.total + 5)).toEqual(filtered);
    expect(run.slice(1, 3)).toEqual(filtered.slice(1, 3));
  }
  return kept;
}

describe("the kept drift report", () => {
  it("is recomputed after every change to the tables it comes from, and only then", async () => {
    await refresh();
    const first = await current();
    expect(first.counts["out-of-band"]).toBeGreaterThan(0);
    // Nothing changed: the same object, not a second computation.
    expect(await (await currentDrift(w.deps)).report).toBe(first);
    expect(await driftFingerprint(w.prisma)).toBe(await driftFingerprint(w.prisma));

    // Created out of band, seen by a refresh: one more out-of-band finding.
    await w.pool.eksFor(LOC).send(new CreatePodIdentityAssociationCommand({ clusterName: "domino-green", namespace: "domino-compute", serviceAccount: "svc-kept-oob", roleArn: OTHER_PI_ROLE }));
    await refresh();
    const created = await current();
    expect(created).not.toBe(first);
    expect(created.counts["out-of-band"]).toBe(first.counts["out-of-band"] + 1);

    // A cached row changed in place (as the change-events consumer writes it).
    const row = await w.prisma.podIdentityAssociation.findFirstOrThrow({ where: { serviceAccount: "svc-kept-oob" } });
    await w.prisma.podIdentityAssociation.update({ where: { id: row.id }, data: { ownerArn: "arn:aws:eks:us-east-1:111122223333:addon/domino-green/x/y" } });
    const owned = await current();
    expect(owned).not.toBe(created);
    expect(owned.findings.find((f) => f.serviceAccount === "svc-kept-oob")?.differences[0]).toContain("owned by");

    // A request applied: its service account is in force, no longer out of band.
    const { id } = await createRequest(w.deps, alice, createInput("svc-kept-applied"));
    await approveRequest(w.deps, ivy, { id });
    await runner(w).drain();
    await refresh();
    const applied = await current();
    expect(applied.findings.some((f) => f.serviceAccount === "svc-kept-applied")).toBe(false);

    // A cluster's refresh failing changes what can be missing.
    await w.prisma.podIdentityAssociation.deleteMany({ where: { serviceAccount: "svc-kept-applied" } });
    expect((await current()).counts.missing).toBe(applied.counts.missing + 1);
    await w.prisma.cluster.updateMany({ where: { name: "domino-green" }, data: { lastRefreshError: "AccessDenied" } });
    expect((await current()).counts.missing).toBe(applied.counts.missing);

    // A delete alone (no insert, no update) is seen too.
    expect(await w.prisma.podIdentityAssociation.deleteMany({ where: { serviceAccount: "svc-kept-oob" } })).toEqual({ count: 1 });
    expect((await current()).findings.some((f) => f.serviceAccount === "svc-kept-oob")).toBe(false);
  }, 180_000);

  it("keeps the baseline with the report it was planned from, per analysis", async () => {
    const findings: never[] = [];
    const drift = await currentDrift(w.deps);
    const plan = await drift.baseline(findings);
    expect(await (await currentDrift(w.deps)).baseline(findings)).toBe(plan);
    // Another analysis (a new scan) is planned again; so is a changed table.
    expect(await drift.baseline([])).not.toBe(plan);
    await w.prisma.cluster.updateMany({ where: { name: "domino-green" }, data: { lastRefreshError: null } });
    expect(await (await currentDrift(w.deps)).baseline(findings)).not.toBe(plan);
  }, 60_000);

  it("plans one headline per finding and one list per distinct set of findings (a kept plan at 100,000 associations)", async () => {
    await refresh();
    const report = await (await currentDrift(w.deps)).report;
    const byRole = groupBy(report.findings.filter((f) => f.kind === "out-of-band" && f.actual), (f) => [f.actual!.roleArn]);
    const [roleArn, same] = [...byRole].find(([, fs]) => fs.length >= 2)!;
    const [first, second] = same as [DriftFinding, DriftFinding];
    const onRole = { id: "f-role", kind: "pod-identity-role-not-trusted", severity: "high", title: "role not trusted", detail: "d", roleArn } as Finding;
    const onSa = { id: "f-sa", kind: "sa-both-mechanisms", severity: "low", title: "both", detail: "d", cluster: first.cluster, namespace: first.namespace, serviceAccount: first.serviceAccount } as Finding;
    const entry = (plan: BaselinePlan, f: DriftFinding) => plan.setApart.find((s) => s.finding.key === f.key)!.findings;

    const plan = await (await currentDrift(w.deps)).baseline([onRole]);
    expect(entry(plan, first)).toEqual([{ id: "f-role", kind: "pod-identity-role-not-trusted", severity: "high", title: "role not trusted" }]);
    expect(entry(plan, second)).toBe(entry(plan, first));

    const both = await (await currentDrift(w.deps)).baseline([onSa, onRole]);
    expect(entry(both, first).map((h) => h.id)).toEqual(["f-sa", "f-role"]);
    expect(entry(both, second).map((h) => h.id)).toEqual(["f-role"]);
    expect(entry(both, first)[1]).toBe(entry(both, second)[0]);
  }, 120_000);

  it("keeps the overview's counts per state of the tables, as the report counts them", async () => {
    await refresh();
    const version = async () => (await w.prisma.cluster.findFirstOrThrow({ where: { name: "domino-green" }, select: { associationsVersion: true } })).associationsVersion;
    const fresh = async () => (await computeDrift(w.prisma, w.deps.kinds)).counts;
    const v0 = await version();
    const drift = await currentDrift(w.deps);
    const counts = await drift.counts();
    expect(counts).toEqual(await fresh());
    expect(await (await currentDrift(w.deps)).counts()).toBe(counts);

    // One statement writing several rows bumps its cluster's version once, in its transaction; the counts follow.
    // Two associations the report counts as out-of-band (any two rows could include one a request approved: deleting that is "missing").
    const outOfBand = (await computeDrift(w.prisma, w.deps.kinds)).findings.filter((f) => f.kind === "out-of-band" && f.cluster === "domino-green").slice(0, 2);
    expect(outOfBand).toHaveLength(2);
    const rows = await Promise.all(
      outOfBand.map((f) => w.prisma.podIdentityAssociation.findFirstOrThrow({ where: { cluster: { name: "domino-green" }, namespace: f.namespace, serviceAccount: f.serviceAccount }, select: { id: true } })),
    );
    await w.prisma.podIdentityAssociation.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { ownerArn: "arn:aws:eks:us-east-1:111122223333:addon/domino-green/x/y" } });
    expect(await version()).toBe(v0 + 1n);
    const deleted = await w.prisma.podIdentityAssociation.deleteMany({ where: { id: rows[0]!.id } });
    expect(deleted.count).toBe(1);
    expect(await version()).toBe(v0 + 2n);
    const after = await (await currentDrift(w.deps)).counts();
    expect(after).not.toBe(counts);
    expect(after).toEqual(await fresh());
    expect(after["out-of-band"]).toBe(counts["out-of-band"] - 1);
    // A rolled-back write leaves the version, and the kept counts, as they were.
    await expect(
      w.prisma.$transaction(async (tx) => {
        await tx.podIdentityAssociation.deleteMany({ where: { id: rows[1]!.id } });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await version()).toBe(v0 + 2n);
    expect(await (await currentDrift(w.deps)).counts()).toBe(after);
  }, 60_000);
});
