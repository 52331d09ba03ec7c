import { describe, expect, it } from "vitest";
import { canAssume, podIdentityRequest, type CanAssumeInput } from "@/lib/trust";
import { ACCT, CLUSTER_ARN, PROVIDER, irsaStmt, pod, podStmt, policy, type Stmt } from "../support/trust-policies";

type Row = [name: string, statements: Stmt[], input: CanAssumeInput, allowed: boolean];

const tagged = (cond: Record<string, Record<string, unknown>>) => podStmt(undefined, { Condition: cond });
const noTags = { sessionTags: false };
const withArn = { clusterArn: CLUSTER_ARN };

const rows: Row[] = [
  ["AWS-documented policy", [podStmt()], pod(), true],
  ["Service principal as a list", [podStmt(undefined, { Principal: { Service: ["ec2.amazonaws.com", "pods.eks.amazonaws.com"] } })], pod(), true],
  ["Service principal in upper case", [podStmt(undefined, { Principal: { Service: "PODS.EKS.AMAZONAWS.COM" } })], pod(), true],
  ["another service", [podStmt(undefined, { Principal: { Service: "ec2.amazonaws.com" } })], pod(), false],
  ["Federated principal only", [irsaStmt()], pod(), false],
  ["Principal *", [podStmt(undefined, { Principal: "*" })], pod(), true],
  ["missing TagSession with tags on", [podStmt("sts:AssumeRole")], pod(), false],
  ["missing TagSession with tags off", [podStmt("sts:AssumeRole")], pod(noTags), true],
  ["TagSession only", [podStmt("sts:TagSession")], pod(), false],
  ["AssumeRole and TagSession from different statements", [podStmt("sts:AssumeRole"), podStmt("sts:TagSession")], pod(), true],
  ["sts:* covers both", [podStmt("sts:*")], pod(), true],
  ["sts:AssumeRole* does not cover TagSession", [podStmt("sts:AssumeRole*")], pod(), false],
  ["Action * covers both", [podStmt("*")], pod(), true],
  ["NotAction not excluding either", [podStmt(undefined, { Action: undefined, NotAction: "sts:AssumeRoleWithWebIdentity" })], pod(), true],
  ["Deny on TagSession only blocks tagged sessions", [podStmt(), { ...podStmt("sts:TagSession"), Effect: "Deny" }], pod(), false],
  ["Deny on TagSession is irrelevant without tags", [podStmt(), { ...podStmt("sts:TagSession"), Effect: "Deny" }], pod(noTags), true],
  ["Deny on AssumeRole", [podStmt(), { ...podStmt("sts:AssumeRole"), Effect: "Deny" }], pod(noTags), false],
  ["namespace tag condition", [tagged({ StringEquals: { "aws:RequestTag/kubernetes-namespace": "domino-compute" } })], pod(), true],
  ["namespace tag condition, other namespace", [tagged({ StringEquals: { "aws:RequestTag/kubernetes-namespace": "default" } })], pod(), false],
  ["service-account tag wildcard", [tagged({ StringLike: { "aws:RequestTag/kubernetes-service-account": "svc-*" } })], pod(), true],
  ["request tag key in different case", [tagged({ StringEquals: { "AWS:REQUESTTAG/Kubernetes-Namespace": "domino-compute" } })], pod(), true],
  ["request tag condition without session tags fails", [podStmt("sts:AssumeRole", { Condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": "domino-compute" } } })], pod(noTags), false],
  ["request tag IfExists without session tags passes", [podStmt("sts:AssumeRole", { Condition: { StringEqualsIfExists: { "aws:RequestTag/kubernetes-namespace": "domino-compute" } } })], pod(noTags), true],
  ["cluster-name tag with cluster ARN", [tagged({ StringEquals: { "aws:RequestTag/eks-cluster-name": "prod-blue" } })], pod(withArn), true],
  ["cluster-name tag without cluster ARN is unknown -> fails", [tagged({ StringEquals: { "aws:RequestTag/eks-cluster-name": "prod-blue" } })], pod(), false],
  ["cluster-arn tag ArnLike", [tagged({ ArnLike: { "aws:RequestTag/eks-cluster-arn": `arn:aws:eks:*:${ACCT}:cluster/prod-*` } })], pod(withArn), true],
  ["cluster-name tag for another cluster", [tagged({ StringEquals: { "aws:RequestTag/eks-cluster-name": "prod-green" } })], pod(withArn), false],
  ["negated cluster tag without cluster ARN passes (absent key)", [tagged({ StringNotEquals: { "aws:RequestTag/eks-cluster-name": "prod-green" } })], pod(), true],
  ["pod-name tag is never known", [tagged({ StringLike: { "aws:RequestTag/kubernetes-pod-name": "*" } })], pod(withArn), false],
  ["aws:SourceAccount from cluster ARN", [tagged({ StringEquals: { "aws:SourceAccount": ACCT } })], pod(withArn), true],
  ["aws:SourceAccount other account", [tagged({ StringEquals: { "aws:SourceAccount": "444455556666" } })], pod(withArn), false],
  ["aws:SourceAccount without cluster ARN fails", [tagged({ StringEquals: { "aws:SourceAccount": ACCT } })], pod(), false],
  ["aws:SourceAccount from explicit sourceAccount", [tagged({ StringEquals: { "aws:SourceAccount": ACCT } })], pod({ sourceAccount: ACCT }), true],
  ["aws:SourceArn ArnEquals", [tagged({ ArnEquals: { "aws:SourceArn": CLUSTER_ARN } })], pod(withArn), true],
  ["aws:SourceArn without cluster ARN fails", [tagged({ ArnEquals: { "aws:SourceArn": CLUSTER_ARN } })], pod(), false],
  ["aws:TagKeys ForAllValues", [tagged({ "ForAllValues:StringLike": { "aws:TagKeys": ["eks-*", "kubernetes-*"] } })], pod(), true],
  ["aws:TagKeys ForAllValues too narrow", [tagged({ "ForAllValues:StringEquals": { "aws:TagKeys": ["kubernetes-namespace"] } })], pod(), false],
  ["aws:TagKeys ForAnyValue", [tagged({ "ForAnyValue:StringEquals": { "aws:TagKeys": "kubernetes-namespace" } })], pod(), true],
  ["aws:TagKeys ForAnyValue without tags fails", [podStmt("sts:AssumeRole", { Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": "kubernetes-namespace" } } })], pod(noTags), false],
  ["TagSession conditioned, AssumeRole not", [podStmt("sts:AssumeRole"), podStmt("sts:TagSession", { Condition: { StringEquals: { "aws:RequestTag/kubernetes-namespace": "default" } } })], pod(), false],
  ["IRSA statement alongside pod identity", [irsaStmt(), podStmt()], pod(), true],
  ["Federated + Service in one Principal", [podStmt(undefined, { Principal: { Service: "pods.eks.amazonaws.com", Federated: PROVIDER } })], pod(), true],
];

describe("Pod Identity trust evaluation", () => {
  it.each(rows)("%s", (_name, statements, input, allowed) => {
    const r = canAssume(policy(...statements), input);
    expect(r.allowed).toBe(allowed);
    expect(r.mechanism).toBe("pod-identity");
  });

  it("reports per-action decisions from different statements", () => {
    const r = canAssume(policy(podStmt("sts:AssumeRole"), podStmt("sts:TagSession")), pod());
    expect(r.actions).toEqual([
      { action: "sts:AssumeRole", decision: "allowed", statements: [0] },
      { action: "sts:TagSession", decision: "allowed", statements: [1] },
    ]);
    expect(r.statements.map((s) => s.actions)).toEqual([["sts:AssumeRole"], ["sts:TagSession"]]);
  });

  it("explains a missing TagSession and how to proceed", () => {
    const r = canAssume(policy(podStmt("sts:AssumeRole")), pod());
    expect(r.reason).toMatch(/sts:AssumeRole by statement 0 is allowed, but no statement allows sts:TagSession/);
    expect(r.reason).toContain("--no-session-tags");
    expect(r.actions[1]).toEqual({ action: "sts:TagSession", decision: "implicit-deny", statements: [] });
  });

  it("flags conditions that failed only because the cluster is unknown", () => {
    const r = canAssume(policy(podStmt(undefined, { Condition: { StringEquals: { "aws:SourceAccount": ACCT } } })), pod());
    expect(r.statements[0]?.why).toContain("unknown for this request");
  });

  it("builds the documented context", () => {
    const req = podIdentityRequest({ mechanism: "pod-identity", namespace: "ns", serviceAccount: "sa", clusterArn: CLUSTER_ARN });
    expect(req.actions).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(req.context).toMatchObject({
      "aws:SourceAccount": ACCT,
      "aws:SourceArn": CLUSTER_ARN,
      "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN,
      "aws:RequestTag/eks-cluster-name": "prod-blue",
      "aws:RequestTag/kubernetes-namespace": "ns",
      "aws:RequestTag/kubernetes-service-account": "sa",
    });
    expect(req.context["aws:RequestTag/kubernetes-pod-name"]).toBeUndefined();
    expect(req.context["aws:TagKeys"]).toHaveLength(6);
    const off = podIdentityRequest({ mechanism: "pod-identity", namespace: "ns", serviceAccount: "sa", sessionTags: false });
    expect(off.actions).toEqual(["sts:AssumeRole"]);
    expect(Object.keys(off.context)).toEqual([]);
  });

  it.each(["arn:aws:eks:us-east-1:123:cluster/x", "arn:aws:iam::111122223333:role/x", "prod-blue"])(
    "rejects bad cluster ARN %s",
    (arn) => {
      expect(() => canAssume(policy(podStmt()), pod({ clusterArn: arn }))).toThrow(/cluster ARN/);
    },
  );
});
