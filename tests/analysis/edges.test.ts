import { describe, expect, it } from "vitest";
import { computeEdges, saRoleMappings } from "@/lib/inventory/analysis/edges";
import { bruteForceEdges, plainEdgeStrings, plainEdges } from "@/tests/support/analysis/brute-force";
import { syntheticSnapshot } from "@/tests/support/analysis/synthetic-snapshot";
import { BLUE, GREEN, LAKE_ACCOUNT, clusterArn, roleArn } from "@/sandbox/seed/constants";
import { workloadRoleArn } from "@/sandbox/seed/roles-workload";
import { demo } from "../support/analysis";

const irsaEdge = (cluster: string, ns: string, sa: string, role: string) =>
  demo().edges.irsa.find((e) => e.clusterArn === clusterArn(cluster) && e.namespace === ns && e.serviceAccount === sa && e.roleArn === workloadRoleArn(role));
const piEdge = (cluster: string, sa: string) => demo().edges.podIdentity.find((e) => e.clusterArn === clusterArn(cluster) && e.serviceAccount === sa);

describe("IRSA edges on the demo fleet", () => {
  it("follows a role trusted by both issuers onto both clusters", () => {
    expect(irsaEdge(BLUE, "domino-compute", "dmuser-jsmith", "domino-irsa-ds-team")?.via).toBe("exact");
    expect(irsaEdge(GREEN, "domino-compute", "dmuser-jsmith", "domino-irsa-ds-team")?.via).toBe("exact");
  });

  it("stops at the issuer the trust names (Blue only)", () => {
    expect(irsaEdge(BLUE, "domino-compute", "dmuser-rpatel", "domino-irsa-ml-training")).toBeDefined();
    expect(irsaEdge(GREEN, "domino-compute", "dmuser-rpatel", "domino-irsa-ml-training")).toBeUndefined();
  });

  it("shows a wildcard subject as a pattern edge and as concrete edges to matching SAs only", () => {
    const p = demo().edges.patterns.find((x) => x.roleArn === workloadRoleArn("domino-irsa-compute-wildcard"));
    expect(p).toMatchObject({ cluster: GREEN, label: "any SA in domino-compute", namespace: "domino-compute" });
    expect(p?.matches).toContain("domino-compute/dmuser-swilliams");
    expect(irsaEdge(GREEN, "domino-compute", "dmuser-swilliams", "domino-irsa-compute-wildcard")?.via).toBe("wildcard");
    expect(irsaEdge(GREEN, "kube-system", "coredns", "domino-irsa-compute-wildcard")).toBeUndefined();
    expect(irsaEdge(BLUE, "domino-compute", "dmuser-swilliams", "domino-irsa-compute-wildcard")).toBeUndefined();
  });

  it("lets the explicit Deny remove interns from a dmuser-* pattern", () => {
    expect(irsaEdge(GREEN, "domino-compute", "dmuser-akim", "domino-irsa-guarded-prefix")).toBeDefined();
    expect(irsaEdge(GREEN, "domino-compute", "dmuser-intern-pchen", "domino-irsa-guarded-prefix")).toBeUndefined();
    const p = demo().edges.patterns.find((x) => x.roleArn === workloadRoleArn("domino-irsa-guarded-prefix") && x.cluster === GREEN);
    expect(p?.matches).not.toContain("domino-compute/dmuser-intern-pchen");
  });

  it("treats an aud-only trust as any SA of the cluster, kube-system included", () => {
    const p = demo().edges.patterns.find((x) => x.roleArn === workloadRoleArn("domino-irsa-aud-only"));
    expect(p).toMatchObject({ cluster: BLUE, pattern: null, label: "any SA of domino-blue" });
    expect(irsaEdge(BLUE, "kube-system", "coredns", "domino-irsa-aud-only")?.via).toBe("any-sa");
    expect(irsaEdge(GREEN, "kube-system", "coredns", "domino-irsa-aud-only")).toBeUndefined();
  });

  it("never reads GitHub's web identity provider as a cluster", () => {
    expect(demo().edges.irsa.some((e) => e.roleArn.endsWith("/github-actions-deploy"))).toBe(false);
  });
});

describe("Pod Identity edges on the demo fleet", () => {
  it("marks whether the role's trust lets each association through", () => {
    expect(piEdge(GREEN, "svc-etl-nightly")).toMatchObject({ allowed: true, roleExists: true, sessionTags: true });
    expect(piEdge(GREEN, "svc-legacy-dwh")).toMatchObject({ allowed: true, sessionTags: false });
    expect(piEdge(GREEN, "svc-finance-export")?.allowed).toBe(true);
    expect(piEdge(BLUE, "svc-finance-export")?.allowed).toBe(false);
    expect(piEdge(GREEN, "svc-snowflake-export")?.allowed).toBe(false);
    expect(piEdge(BLUE, "svc-reporting-legacy")).toMatchObject({ roleExists: false, allowed: false });
    expect(piEdge(GREEN, "ebs-csi-controller-sa")).toMatchObject({ addonOwned: true, allowed: true });
  });

  it("checks the cross-account target trust with the association's external id", () => {
    expect(piEdge(GREEN, "svc-lake-reader")?.target).toMatchObject({ roleArn: roleArn("datalake-domino-read", LAKE_ACCOUNT), allowed: true });
    expect(piEdge(GREEN, "svc-lake-writer")?.target).toMatchObject({ roleArn: roleArn("datalake-domino-write", LAKE_ACCOUNT), exists: true, allowed: false });
  });

  it("derives 'both' when IRSA and an association meet on one SA and role", () => {
    const m = saRoleMappings(demo().edges).find((x) => x.serviceAccount === "svc-model-monitor" && x.roleArn === workloadRoleArn("domino-both-mechanisms"));
    expect(m?.mechanism).toBe("both");
    const blob = saRoleMappings(demo().edges).filter((x) => x.serviceAccount === "nucleus-frontend" && x.roleArn === workloadRoleArn("domino-platform-blob-store"));
    expect(blob.map((x) => `${x.cluster}:${x.mechanism}`).sort()).toEqual([`${BLUE}:irsa`, `${GREEN}:pod-identity`]);
  });
});

describe("indexed edges equal brute force", () => {
  it("on the demo fleet", () => {
    const { snapshot, edges } = demo();
    expect(plainEdgeStrings(plainEdges(edges))).toEqual(plainEdgeStrings(bruteForceEdges(snapshot)));
  });

  it.each([1, 2])("on a generated snapshot (seed %i)", (seed) => {
    const snapshot = syntheticSnapshot({ roles: 250, clusters: 3, serviceAccountsPerCluster: 50, seed, extraInexactRate: 0.05 });
    const indexed = plainEdgeStrings(plainEdges(computeEdges(snapshot)));
    expect(indexed.length).toBeGreaterThan(100);
    expect(indexed).toEqual(plainEdgeStrings(bruteForceEdges(snapshot)));
  });
});
