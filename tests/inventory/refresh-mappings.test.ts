// The refresh reads the sandbox through the real AWS SDK over HTTP and caches
// what it finds in the real database.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EksGateway, IdentityGateway } from "@/lib/aws";
import { listMappings, parseMappingQuery } from "@/lib/inventory/list-mappings";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import type { SandboxAssociation } from "@/sandbox/model";
import { PROD, REGION, TARGETS } from "../support/constants";
import { useWorld } from "../support/world";

const w = useWorld({ sandbox: true });
let eks: EksGateway;
let identity: IdentityGateway;

function sandboxAssociations(): SandboxAssociation[] {
  const clusters = w.sandbox.ctx.world.accounts[PROD]!.regions[REGION]!.clusters;
  return Object.values(clusters).flatMap((c) => Object.values(c.associations));
}

beforeAll(() => {
  eks = new EksGateway(w.pool);
  identity = new IdentityGateway(w.pool);
});

describe("refreshing mappings", () => {
  it("caches every association of every cluster with its Describe details, and audits the run", async () => {
    const run = await startMappingRefresh({ prisma: w.prisma, eks, targets: TARGETS }, "alice");
    const outcomes = await run.done;
    const expected = sandboxAssociations();
    expect(expected.length).toBeGreaterThan(20);
    expect(outcomes.every((o) => !o.error)).toBe(true);
    const rows = await w.prisma.podIdentityAssociation.findMany({ include: { cluster: true } });
    expect(rows).toHaveLength(expected.length);
    for (const a of expected) {
      const row = rows.find((r) => r.associationId === a.associationId)!;
      expect(row, a.associationId).toBeDefined();
      expect(row.cluster.name).toBe(a.clusterName);
      expect([row.namespace, row.serviceAccount, row.roleArn]).toEqual([a.namespace, a.serviceAccount, a.roleArn]);
      expect(row.targetRoleArn ?? undefined).toBe(a.targetRoleArn);
      expect(row.disableSessionTags).toBe(a.disableSessionTags);
      expect(row.ownerArn ?? undefined).toBe(a.ownerArn);
    }
    const refresh = await w.prisma.mappingRefresh.findUniqueOrThrow({ where: { id: run.refreshId } });
    expect(refresh).toMatchObject({ status: "succeeded", clustersTotal: 2, clustersDone: 2, associationsSeen: expected.length });
    const audit = await w.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => a.event)).toEqual(["mappings.refresh_started", "mappings.refresh_finished"]);
    expect(audit[0]!.actor).toBe("alice");
    // N+1: one Describe per association, as the EKS API requires.
    const calls = w.sandbox.ctx.calls.list({ operation: "DescribePodIdentityAssociation" });
    expect(calls.length).toBeGreaterThanOrEqual(expected.length);
  });

  it("keeps the other clusters and the failed cluster's previous rows when one cluster fails", async () => {
    await (await startMappingRefresh({ prisma: w.prisma, eks, targets: TARGETS }, "alice")).done;
    const before = await w.prisma.podIdentityAssociation.count({ where: { cluster: { name: "domino-blue" } } });
    expect(before).toBeGreaterThan(0);
    // Every call for Blue's associations fails with a 5xx beyond the retry budget.
    w.sandbox.ctx.faults.configure({ failNext: { ListPodIdentityAssociations: 3 } });
    const run = await startMappingRefresh({ prisma: w.prisma, eks, targets: TARGETS }, "alice");
    const outcomes = await run.done;
    const failed = outcomes.filter((o) => o.error);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.error).toMatch(/ListPodIdentityAssociations failed: (ServerException|ServiceUnavailableException)/);
    const refresh = await w.prisma.mappingRefresh.findUniqueOrThrow({ where: { id: run.refreshId } });
    expect(refresh.status).toBe("partial");
    const cluster = await w.prisma.cluster.findFirstOrThrow({ where: { name: failed[0]!.cluster } });
    expect(cluster.lastRefreshError).toMatch(/ListPodIdentityAssociations/);
    expect(await w.prisma.podIdentityAssociation.count({ where: { clusterId: cluster.id } })).toBeGreaterThan(0);
  });

  it("rides out throttling through the SDK's retries", async () => {
    w.sandbox.ctx.faults.configure({ throttle: { DescribePodIdentityAssociation: { ratePerSecond: 20, burst: 5 } } });
    const outcomes = await (await startMappingRefresh({ prisma: w.prisma, eks, targets: TARGETS }, "alice")).done;
    expect(outcomes.every((o) => !o.error)).toBe(true);
    expect(w.sandbox.ctx.calls.list({ operation: "DescribePodIdentityAssociation" }).some((c) => c.injected === "throttle")).toBe(true);
    expect(await w.prisma.podIdentityAssociation.count()).toBe(sandboxAssociations().length);
  });

  it("starts only one refresh at a time, however many clicks arrive together", async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => startMappingRefresh({ prisma: w.prisma, eks, targets: TARGETS }, "bob")));
    expect(runs.filter((r) => !r.alreadyRunning)).toHaveLength(1);
    expect(new Set(runs.map((r) => r.refreshId)).size).toBe(1);
    await Promise.all(runs.map((r) => r.done));
    expect(await w.prisma.mappingRefresh.count()).toBe(1);
  });
});

describe("refreshing through an assumed role", () => {
  it("reads another account with STS AssumeRole credentials, and reports a target it cannot assume into", async () => {
    const targets = [
      ...TARGETS,
      { accountId: "444455556666", region: "us-east-1", clusters: ["*"], assumeRoleArn: "arn:aws:iam::444455556666:role/rolegate-reader" },
      { accountId: "444455556666", region: "eu-west-1", clusters: ["*"], assumeRoleArn: "arn:aws:iam::444455556666:role/does-not-exist" },
      // No role to assume: the default credentials act in 111122223333, not here.
      { accountId: "444455556666", region: "us-west-2", clusters: ["*"] },
    ];
    const run = await startMappingRefresh({ prisma: w.prisma, eks, identity, targets }, "alice");
    const outcomes = await run.done;
    const failed = outcomes.filter((o) => o.error);
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({ accountId: "444455556666", region: "eu-west-1", cluster: "*" });
    expect(failed[0]!.error).toMatch(/AccessDenied/);
    expect(failed[1]).toMatchObject({ accountId: "444455556666", region: "us-west-2", cluster: "*" });
    expect(failed[1]!.error).toMatch(/WrongAccount: the credentials for account 444455556666 act in account 111122223333/);
    const assumed = w.sandbox.ctx.calls.list({ service: "sts", operation: "AssumeRole" });
    expect(assumed.some((c) => c.status === 200)).toBe(true);
    // The data-lake account was listed with its own (assumed) identity.
    expect(w.sandbox.ctx.calls.list({ operation: "ListClusters" }).some((c) => c.accountId === "444455556666" && c.status === 200)).toBe(true);
    const refresh = await w.prisma.mappingRefresh.findUniqueOrThrow({ where: { id: run.refreshId } });
    expect(refresh.status).toBe("partial");
    expect(await w.prisma.podIdentityAssociation.count()).toBe(sandboxAssociations().length);
  });
});

describe("listing mappings", () => {
  beforeEach(async () => {
    await (await startMappingRefresh({ prisma: w.prisma, eks, targets: TARGETS }, "alice")).done;
  });

  it("filters by cluster and namespace, sorts and pages on the server", async () => {
    const all = sandboxAssociations();
    const green = all.filter((a) => a.clusterName === "domino-green" && a.namespace === "domino-compute");
    const q = parseMappingQuery({ cluster: "domino-green", namespace: "domino-compute", sort: "serviceAccount", dir: "desc", pageSize: "10" });
    const page1 = await listMappings(w.prisma, q);
    expect(page1.total).toBe(green.length);
    const expectedOrder = green.map((a) => a.serviceAccount).sort().reverse();
    expect(page1.rows.map((r) => r.serviceAccount)).toEqual(expectedOrder.slice(0, 10));
    const page2 = await listMappings(w.prisma, { ...q, page: 2 });
    expect(page2.rows.map((r) => r.serviceAccount)).toEqual(expectedOrder.slice(10, 20));
  });

  it("ignores malformed query values instead of failing", () => {
    const q = parseMappingQuery({ page: "-3", pageSize: "99999", sort: "drop table", namespace: "Bad_NS!", cluster: ["domino-blue", "x"] });
    expect(q).toMatchObject({ page: 1, pageSize: 50, sort: "cluster", namespace: undefined, cluster: "domino-blue" });
  });
});
