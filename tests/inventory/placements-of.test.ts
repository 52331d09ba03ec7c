// placementsOf groups a cluster's pods by service account once; each placement must
// be exactly what placementOf finds by filtering every pod for that service account.
import { describe, expect, it } from "vitest";
import { placementOf } from "@/lib/inventory/placement";
import { placementFactsOf, placementsOf } from "@/lib/inventory/placement/snapshot";
import type { SnapshotCluster } from "@/lib/inventory/snapshot-types";
import { demoSnapshot } from "../support/analysis";

function expectSameAsOneByOne(c: SnapshotCluster) {
  const facts = placementFactsOf(c);
  const all = placementsOf(c);
  expect([...all.keys()].sort()).toEqual(c.serviceAccounts.map((sa) => `${sa.namespace}/${sa.name}`).sort());
  for (const sa of c.serviceAccounts) expect(all.get(`${sa.namespace}/${sa.name}`)).toEqual(placementOf(facts, sa.namespace, sa.name));
}

describe("placementsOf", () => {
  it("finds, for every service account of the demo fleet, the placement placementOf finds alone", () => {
    const clusters = demoSnapshot().clusters;
    expect(clusters.some((c) => c.pods.length > 0)).toBe(true);
    for (const c of clusters) expectSameAsOneByOne(c);
  });

  it("skips finished pods and tells nodes, Fargate and Windows apart, as placementOf does", () => {
    const pod = (name: string, sa: string, nodeName: string, phase = "Running", labels: Record<string, string> = {}) => ({
      namespace: "domino-compute", name, uid: name, serviceAccountName: sa, creationTimestamp: "2026-11-01T00:00:00Z", phase, credentialEnv: {}, nodeName, labels,
    });
    const c: SnapshotCluster = {
      accountId: "111122223333", region: "us-east-1", name: "c1", arn: "arn:aws:eks:us-east-1:111122223333:cluster/c1", status: "ACTIVE", podIdentityAgentInstalled: true,
      nodegroups: [], associations: [],
      nodes: [
        { name: "ip-1", labels: { "kubernetes.io/os": "linux" }, ready: true },
        { name: "win-1", labels: { "kubernetes.io/os": "windows" }, ready: true },
        { name: "fargate-ip-2", labels: { "eks.amazonaws.com/compute-type": "fargate" }, ready: true },
      ],
      fargateProfiles: [{ name: "fp-batch", selectors: [{ namespace: "domino-compute", labels: { batch: "yes" } }] }],
      agentDaemonSet: null,
      serviceAccounts: ["a", "b", "c", "idle"].map((name) => ({ namespace: "domino-compute", name, creationTimestamp: "2026-11-01T00:00:00Z", annotations: {} })),
      pods: [pod("a-1", "a", "ip-1"), pod("a-2", "a", "win-1"), pod("a-old", "a", "fargate-ip-2", "Succeeded"), pod("b-1", "b", "fargate-ip-2"), pod("c-1", "c", "ip-1", "Pending", { batch: "yes" })],
    };
    expectSameAsOneByOne(c);
    const all = placementsOf(c);
    expect(all.get("domino-compute/a")).toMatchObject({ nodes: ["ip-1"], windows: ["win-1"], fargate: [], pods: 2 });
    expect(all.get("domino-compute/b")).toMatchObject({ fargate: ["fargate"], podIdentity: "unsupported" });
    expect(all.get("domino-compute/idle")).toMatchObject({ pods: 0, mayRunOnFargate: ["fp-batch"], podIdentity: "unknown" });
  });
});
