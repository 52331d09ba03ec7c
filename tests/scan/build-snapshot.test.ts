// The scanner reads the whole demo fleet through the real SDK and client-node.
import { describe, expect, it } from "vitest";
import { buildInventorySnapshot } from "@/lib/inventory/scan/build-snapshot";
import { SCAN_CLIENT_SETTINGS } from "@/lib/inventory/scan/context";
import type { ScanProgress } from "@/lib/inventory/scan/progress";
import { PROD } from "../support/constants";
import { EksGateway } from "@/lib/aws";
import { KubeGateway } from "@/lib/kube";
import { scanDeps, worldClusters } from "../support/scan";
import { sandboxKubeAccess } from "../support/sandbox-kube";
import { TARGETS } from "../support/constants";
import { useWorld } from "../support/world";

const w = useWorld({ database: false, sandbox: true });

describe("inventory snapshot of the demo fleet", () => {
  it("has every cluster, association, role, OIDC provider, service account and pod of the world", async () => {
    const progress: ScanProgress[] = [];
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool), (p) => progress.push(p));
    expect(snapshot.errors).toEqual([]);
    const world = worldClusters(w.sandbox);
    expect(snapshot.clusters.map((c) => c.name).sort()).toEqual(world.map((c) => c.name).sort());
    for (const wc of world) {
      const c = snapshot.clusters.find((x) => x.name === wc.name)!;
      expect([c.arn, c.status, c.version, c.oidcIssuer]).toEqual([wc.arn, wc.status, wc.version, wc.oidcIssuer]);
      expect(c.podIdentityAgentInstalled).toBe("eks-pod-identity-agent" in wc.addons);
      expect(c.nodegroups.map((n) => n.nodeRoleArn).sort()).toEqual(Object.values(wc.nodegroups).map((n) => n.nodeRole).sort());
      expect(c.associations).toHaveLength(Object.keys(wc.associations).length);
      for (const wa of Object.values(wc.associations)) {
        const a = c.associations.find((x) => x.associationId === wa.associationId)!;
        expect([a.namespace, a.serviceAccount, a.roleArn, a.targetRoleArn, a.ownerArn, a.disableSessionTags]).toEqual([
          wa.namespace, wa.serviceAccount, wa.roleArn, wa.targetRoleArn, wa.ownerArn, wa.disableSessionTags,
        ]);
      }
      expect(c.serviceAccounts).toHaveLength(Object.keys(wc.kube.serviceAccounts).length);
      for (const ws of Object.values(wc.kube.serviceAccounts)) {
        const s = c.serviceAccounts.find((x) => x.namespace === ws.namespace && x.name === ws.name)!;
        expect(s.annotations).toEqual(ws.annotations);
      }
      expect(c.pods.map((p) => p.uid).sort()).toEqual(Object.values(wc.kube.pods).map((p) => p.uid).sort());
    }
    const account = w.sandbox.ctx.world.accounts[PROD]!;
    expect(snapshot.roles.map((r) => r.arn).sort()).toEqual(Object.values(account.roles).map((r) => r.arn).sort());
    expect(snapshot.oidcProviders.map((p) => p.url).sort()).toEqual(Object.values(account.oidcProviders).map((p) => p.url).sort());
    expect(snapshot.accounts).toEqual([{ accountId: PROD, regions: ["us-east-1"] }]);
    // Progress reached the end and moved through the phases.
    const last = progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.parts.associations!.done).toBe(world.reduce((n, c) => n + Object.keys(c.associations).length, 0));
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(["discovering", "scanning", "node-role-policies"]));
  });

  it("decodes trust policies and reads the node roles' inline policies", async () => {
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool));
    const account = w.sandbox.ctx.world.accounts[PROD]!;
    for (const r of snapshot.roles) {
      expect(r.trustPolicy).toBe(account.roles[r.roleName]!.assumeRolePolicyDocument);
      expect(() => JSON.parse(r.trustPolicy)).not.toThrow();
    }
    const nodeRoleArns = new Set(snapshot.clusters.flatMap((c) => c.nodegroups.map((n) => n.nodeRoleArn)));
    expect(nodeRoleArns.size).toBeGreaterThan(0);
    for (const arn of nodeRoleArns) {
      const role = snapshot.roles.find((r) => r.arn === arn)!;
      const world = account.roles[role.roleName]!;
      expect(role.inlinePolicies).toEqual(world.inlinePolicies);
      expect(role.inlinePolicies["pod-identity"]).toContain("eks-auth:AssumeRoleForPodIdentity");
      expect(role.attachedPolicyArns.sort()).toEqual(world.attachedPolicies.map((p) => p.policyArn).sort());
    }
  });

  it("completes under throttling, and the call log shows the throttles were hit", async () => {
    w.sandbox.ctx.faults.configure({ throttle: { DescribePodIdentityAssociation: { ratePerSecond: 5, burst: 2, scope: "operation+cluster" } } });
    // The retry settings the app's scans run with (the world's pool has three adaptive attempts: under a loaded machine a
    // Describe could meet the throttle three times while its limiter was still slowing down).
    const pool = w.pool.withSettings(SCAN_CLIENT_SETTINGS);
    const { snapshot, limiterStats } = await buildInventorySnapshot(scanDeps(w.sandbox, pool, { limiterOptions: () => ({ initialRate: 20, burst: 2 }) }));
    expect(snapshot.errors).toEqual([]);
    const expected = worldClusters(w.sandbox).reduce((n, c) => n + Object.keys(c.associations).length, 0);
    expect(snapshot.clusters.reduce((n, c) => n + c.associations.length, 0)).toBe(expected);
    expect(w.sandbox.ctx.calls.list({ operation: "DescribePodIdentityAssociation" }).some((c) => c.injected === "throttle")).toBe(true);
    // The limiters heard the throttles and slowed down below their starting rate.
    const describe = limiterStats.filter((s) => s.key.includes("DescribePodIdentityAssociation"));
    expect(describe.some((s) => s.throttles > 0 && s.rate < 20)).toBe(true);
  }, 60_000);

  it("makes a read still throttled after the SDK's retries again under its slowed limiter, instead of failing the cluster", async () => {
    w.sandbox.ctx.faults.configure({ throttle: { DescribePodIdentityAssociation: { ratePerSecond: 5, burst: 2, scope: "operation+cluster" } } });
    // No SDK retry at all (an emptied retry quota behaves so): every throttled Describe comes back to the scanner.
    const pool = w.pool.withSettings({ retryMode: "standard", maxAttempts: 1 });
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, pool, { eks: new EksGateway(pool), limiterOptions: () => ({ initialRate: 20, burst: 4 }) }));
    expect(snapshot.errors).toEqual([]);
    expect(snapshot.clusters.reduce((n, c) => n + c.associations.length, 0)).toBe(worldClusters(w.sandbox).reduce((n, c) => n + Object.keys(c.associations).length, 0));
    expect(w.sandbox.ctx.calls.list({ operation: "DescribePodIdentityAssociation" }).filter((c) => c.injected === "throttle").length).toBeGreaterThan(0);
  }, 60_000);

  it("keeps the other clusters when one cluster's EKS reads fail, and records the error", async () => {
    // ListPodIdentityAssociations fails beyond the retry budget (3 attempts) for the first cluster asking.
    w.sandbox.ctx.faults.configure({ failNext: { ListPodIdentityAssociations: 3 } });
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool, { clusterConcurrency: 1 }));
    expect(snapshot.errors).toHaveLength(1);
    expect(snapshot.errors[0]!.scope).toMatch(/^cluster:111122223333\/us-east-1\//);
    expect(snapshot.errors[0]!.message).toMatch(/ListPodIdentityAssociations failed/);
    expect(snapshot.clusters).toHaveLength(worldClusters(w.sandbox).length - 1);
    expect(snapshot.roles.length).toBe(Object.keys(w.sandbox.ctx.world.accounts[PROD]!.roles).length);
  });

  it("keeps a cluster's EKS data when only its Kubernetes API fails", async () => {
    w.sandbox.ctx.faults.configure({ failNext: { "kube:listPods": 3 } });
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool, { clusterConcurrency: 1 }));
    expect(snapshot.errors.map((e) => e.scope)).toEqual([expect.stringMatching(/^kubernetes:111122223333\/us-east-1\//)]);
    expect(snapshot.clusters).toHaveLength(worldClusters(w.sandbox).length);
    const failed = snapshot.clusters.find((c) => snapshot.errors[0]!.scope.endsWith(`/${c.name}`))!;
    expect(failed.associations.length).toBeGreaterThan(0);
    expect(failed.pods).toEqual([]);
  });

  it("reads Kubernetes a few clusters at a time per process (kubeConcurrency), and each cluster's Describes start with its first List page", async () => {
    const inFlight = new Set<string>();
    let most = 0;
    class CountingKube extends KubeGateway {
      override async listPods(cluster: string, opts: { namespace?: string; clusterArn?: string } = {}) {
        inFlight.add(cluster);
        most = Math.max(most, inFlight.size);
        try {
          return await super.listPods(cluster, opts);
        } finally {
          inFlight.delete(cluster);
        }
      }
    }
    // Slow Kubernetes reads, so clusters whose reads were not gated would overlap.
    w.sandbox.ctx.faults.configure({ latencyByOperation: { "kube:listPods": 40 } });
    const kube = new CountingKube(sandboxKubeAccess(w.sandbox, TARGETS, w.pool), { pageSize: 2 });
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool, { kube, kubeConcurrency: 1 }));
    expect(snapshot.errors).toEqual([]);
    expect(most).toBe(1);
    expect(snapshot.clusters.reduce((n, c) => n + c.pods.length, 0)).toBe(worldClusters(w.sandbox).reduce((n, c) => n + Object.keys(c.kube.pods).length, 0));
    most = 0;
    await buildInventorySnapshot(scanDeps(w.sandbox, w.pool, { kube }));
    expect(most).toBeGreaterThan(1);

    // Two associations a page: the first Describe of the cluster is made before its last List call.
    w.sandbox.ctx.faults.configure({});
    const big = worldClusters(w.sandbox).reduce((a, b) => (Object.keys(b.associations).length > Object.keys(a.associations).length ? b : a));
    const since = w.sandbox.ctx.calls.lastSeq;
    const eks = new EksGateway(w.pool);
    const original = eks.associationPages.bind(eks);
    eks.associationPages = (location, clusterName, beforePage) => original(location, clusterName, beforePage, 2);
    await buildInventorySnapshot(scanDeps(w.sandbox, w.pool, { eks }));
    const calls = w.sandbox.ctx.calls.list({ service: "eks", sinceSeq: since }).filter((c) => c.cluster === big.name);
    const lastList = Math.max(...calls.filter((c) => c.operation === "ListPodIdentityAssociations").map((c) => c.seq));
    const firstDescribe = Math.min(...calls.filter((c) => c.operation === "DescribePodIdentityAssociation").map((c) => c.seq));
    expect(calls.filter((c) => c.operation === "ListPodIdentityAssociations").length).toBeGreaterThan(2);
    expect(firstDescribe).toBeLessThan(lastList);
  });

  it("starts a cluster's association reads with its DescribeCluster and its other EKS reads after the first List page, and stops the Describes when DescribeCluster fails", async () => {
    const big = worldClusters(w.sandbox).reduce((a, b) => (Object.keys(b.associations).length > Object.keys(a.associations).length ? b : a));
    const eksCalls = (since: number) => w.sandbox.ctx.calls.list({ service: "eks", sinceSeq: since }).filter((c) => c.cluster === big.name);
    const seqOf = (calls: ReturnType<typeof eksCalls>, operation: string) => calls.filter((c) => c.operation === operation).map((c) => c.seq);
    // A slow DescribeCluster: the cluster's first association Describe is answered before it.
    w.sandbox.ctx.faults.configure({ latencyByOperation: { DescribeCluster: 1_000 } });
    let since = w.sandbox.ctx.calls.lastSeq;
    const { snapshot } = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool));
    expect(snapshot.errors).toEqual([]);
    let calls = eksCalls(since);
    expect(Math.min(...seqOf(calls, "DescribePodIdentityAssociation"))).toBeLessThan(Math.min(...seqOf(calls, "DescribeCluster")));

    // A slow first List page: the cluster's node group, add-on and Fargate reads wait for it.
    w.sandbox.ctx.faults.configure({ latencyByOperation: { ListPodIdentityAssociations: 500 } });
    since = w.sandbox.ctx.calls.lastSeq;
    expect((await buildInventorySnapshot(scanDeps(w.sandbox, w.pool))).snapshot.errors).toEqual([]);
    calls = eksCalls(since);
    const firstPage = Math.min(...seqOf(calls, "ListPodIdentityAssociations"));
    for (const op of ["ListNodegroups", "ListAddons", "ListFargateProfiles"]) expect(Math.min(...seqOf(calls, op)), op).toBeGreaterThan(firstPage);

    // DescribeCluster fails for good: the cluster fails with its error, and its Describes stop.
    w.sandbox.ctx.faults.configure({ latencyByOperation: { DescribeCluster: 300, DescribePodIdentityAssociation: 100 }, errorRate5xx: 1, errorOperations: ["DescribeCluster"] });
    since = w.sandbox.ctx.calls.lastSeq;
    const failed = await buildInventorySnapshot(scanDeps(w.sandbox, w.pool, { describeConcurrency: 1 }));
    await new Promise((r) => setTimeout(r, 1_000)); // calls still made after the scan's end would show by now
    w.sandbox.ctx.faults.configure({});
    expect(failed.snapshot.clusters.map((c) => c.name)).not.toContain(big.name);
    expect(failed.snapshot.errors.find((e) => e.scope.endsWith(`/${big.name}`))?.message).toMatch(/DescribeCluster|ServiceUnavailable|Internal|Server/i);
    calls = eksCalls(since);
    const lastDescribeCluster = Math.max(...seqOf(calls, "DescribeCluster"));
    const describes = seqOf(calls, "DescribePodIdentityAssociation");
    expect(describes.length).toBeGreaterThan(0);
    expect(describes.length).toBeLessThan(Object.keys(big.associations).length);
    expect(describes.filter((seq) => seq > lastDescribeCluster).length).toBeLessThanOrEqual(1); // the one in flight
  });
});
