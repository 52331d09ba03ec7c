import { describe, expect, it } from "vitest";
import { canAssume } from "@/lib/trust";
import {
  abacPermissionPolicyExample,
  correctNodeRolePolicy,
  correctPodIdentityTrust,
  formatPolicy,
  nodeRolePodIdentityPolicy,
  podIdentityTrustPolicy,
} from "@/lib/inventory/fixes";
import { demo } from "../support/analysis";

const CLUSTER = "arn:aws:eks:us-east-1:111122223333:cluster/domino-green";
const pi = (namespace: string, serviceAccount: string, clusterArn = CLUSTER, sessionTags = true) =>
  ({ mechanism: "pod-identity", namespace, serviceAccount, clusterArn, sessionTags }) as const;

describe("Pod Identity trust generator", () => {
  it("recommended policy lets any SA of the account in, with session tags", () => {
    const json = formatPolicy(podIdentityTrustPolicy({ sourceAccount: "111122223333" }));
    expect(canAssume(json, pi("domino-compute", "svc-a")).allowed).toBe(true);
    expect(canAssume(json, pi("domino-compute", "svc-a", "arn:aws:eks:us-east-1:999988887777:cluster/other")).allowed).toBe(false);
  });

  it("with RequestTag conditions admits only the intended SA on the intended cluster", () => {
    const json = formatPolicy(podIdentityTrustPolicy({ sourceAccount: "111122223333", restrictTo: { clusterArn: CLUSTER, namespace: "domino-compute", serviceAccount: "svc-a" } }));
    expect(canAssume(json, pi("domino-compute", "svc-a")).allowed).toBe(true);
    expect(canAssume(json, pi("domino-compute", "svc-b")).allowed).toBe(false);
    expect(canAssume(json, pi("other-ns", "svc-a")).allowed).toBe(false);
    expect(canAssume(json, pi("domino-compute", "svc-a", "arn:aws:eks:us-east-1:111122223333:cluster/domino-blue")).allowed).toBe(false);
  });

  it("corrects a trust missing sts:TagSession and keeps the other statements", () => {
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [
      { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" },
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ] });
    expect(canAssume(trust, pi("ns", "sa")).allowed).toBe(false);
    const fixed = correctPodIdentityTrust(trust);
    expect(fixed.Statement).toHaveLength(2);
    expect(canAssume(formatPolicy(fixed), pi("ns", "sa")).allowed).toBe(true);
  });
});

describe("node-role policy generator", () => {
  it("lists every mapped role once, sorted", () => {
    const p = nodeRolePodIdentityPolicy(["arn:aws:iam::1:role/b", "arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"]);
    expect(p.Statement[0]).toMatchObject({ Action: "eks-auth:AssumeRoleForPodIdentity", Resource: ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"] });
  });

  it("rewrites the existing restricted statement and shows the added role in the diff", () => {
    const current = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "eks-auth:AssumeRoleForPodIdentity", Resource: "arn:aws:iam::1:role/a" } });
    const fix = correctNodeRolePolicy(current, ["arn:aws:iam::1:role/c", "arn:aws:iam::1:role/a"]);
    expect(fix.policy.Statement).toHaveLength(1);
    expect(fix.diff).toMatch(/^\+ .*arn:aws:iam::1:role\/c/m);
  });

  it("the demo Green finding's exhaustive list adds domino-pi-forecasting", () => {
    const f = demo().findings.find((x) => x.kind === "node-role-missing-mapped-role");
    expect(f?.fix?.diff).toMatch(/^\+ .*domino-pi-forecasting/m);
    const resources = (JSON.parse(f!.fix!.json!).Statement as { Resource?: string[] }[]).find((s) => Array.isArray(s.Resource))!.Resource!;
    expect(resources).toEqual([...new Set(resources)].sort());
  });
});

describe("ABAC example", () => {
  it("scopes objects by the kubernetes-namespace principal tag", () => {
    const text = formatPolicy(abacPermissionPolicyExample({ bucket: "acme-shared" }));
    expect(text).toContain("arn:aws:s3:::acme-shared/${aws:PrincipalTag/kubernetes-namespace}/*");
  });
});
