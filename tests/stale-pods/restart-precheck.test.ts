// RoleGate's own access on a cluster and the restart precheck, against the
// sandbox: access entry and access policies from EKS, SelfSubjectAccessReview
// from the Kubernetes API, with the commands that grant what is missing.
import { AssociateAccessPolicyCommand, DisassociateAccessPolicyCommand, EKSClient } from "@aws-sdk/client-eks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EksAccessGateway } from "@/lib/aws";
import { roleGateAccess, type AccessDeps } from "@/lib/cluster-access/rolegate-access";
import { clusterAccessViews } from "@/lib/cluster-access/queries";
import type { AppConfig } from "@/lib/config/schema";
import { createRuntime } from "@/lib/runtime";
import { deletePodsPrecheck } from "@/lib/stale-pods/restart";
import { SANDBOX_ADMIN_ARN } from "@/sandbox/seed/clusters";
import { SANDBOX_TARGETS } from "../support/sandbox-kube";
import { useWorld } from "../support/world";

const ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
const VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
const GREEN = { name: "domino-green", accountId: "111122223333", region: "us-east-1" };
const w = useWorld({ database: false, sandbox: true, pool: { maxAttempts: 1 } });
const sb = { get ctx() { return w.sandbox.ctx; } };
let eks: EKSClient;
let deps: AccessDeps;

beforeAll(() => {
  eks = new EKSClient({ endpoint: w.sandbox.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" } });
  deps = { eksAccess: new EksAccessGateway(w.pool), kube: w.kube, locationFor: () => SANDBOX_TARGETS[0]! };
});
afterAll(() => eks.destroy());

describe("RoleGate's own cluster access", () => {
  it("with the seeded cluster-admin entry: principal, entry, list and delete allowed, nothing to grant", async () => {
    const a = await roleGateAccess(deps, GREEN);
    expect(a).toMatchObject({ callerArn: SANDBOX_ADMIN_ARN, principalArn: SANDBOX_ADMIN_ARN, canListServiceAccounts: true, canListPods: true, canDeletePods: true, fixCommands: [] });
    expect(a.entry?.policies).toEqual([{ policyArn: ADMIN, scope: "cluster", namespaces: [] }]);
    expect((await deletePodsPrecheck(deps, { ...GREEN, cluster: "domino-green", namespace: "domino-compute" })).status).toBe("pass");
  });

  it("with view only: may list, may not delete; the restart precheck fails with the associate-access-policy command", async () => {
    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: SANDBOX_ADMIN_ARN, policyArn: VIEW, accessScope: { type: "cluster" } }));
    await eks.send(new DisassociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: SANDBOX_ADMIN_ARN, policyArn: ADMIN }));
    const a = await roleGateAccess(deps, GREEN);
    expect([a.canListServiceAccounts, a.canListPods, a.canDeletePods]).toEqual([true, true, false]);
    const edit = `aws eks --region us-east-1 associate-access-policy --cluster-name domino-green --principal-arn ${SANDBOX_ADMIN_ARN} --policy-arn arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy --access-scope type=namespace,namespaces=domino-compute`;
    expect(a.fixCommands).toEqual([edit]);
    const check = await deletePodsPrecheck(deps, { ...GREEN, cluster: "domino-green", namespace: "domino-compute" });
    expect(check).toMatchObject({ id: "kube-delete-pods", status: "fail" });
    expect(check.message).toContain("its access policies do not allow deleting pods there");
    expect(check.message).toContain(edit);
  });

  it("without an access entry: nothing allowed, and the commands start with create-access-entry", async () => {
    delete sb.ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters["domino-green"]!.accessEntries![SANDBOX_ADMIN_ARN];
    const a = await roleGateAccess(deps, GREEN);
    expect(a.entry).toBeNull();
    expect([a.canListServiceAccounts, a.canListPods, a.canDeletePods]).toEqual([false, false, false]);
    expect(a.fixCommands[0]).toBe(`aws eks --region us-east-1 create-access-entry --cluster-name domino-green --principal-arn ${SANDBOX_ADMIN_ARN}`);
    expect(a.fixCommands).toHaveLength(3);
    expect((await deletePodsPrecheck(deps, { ...GREEN, cluster: "domino-green", namespace: "domino-compute" })).message).toContain("no EKS access entry");
  });

  it("/clusters data: one view per cluster from the app's runtime, an error instead of a view when EKS cannot be read", async () => {
    const config = { mode: "sandbox", sandbox: { awsEndpoint: w.sandbox.awsEndpoint, kubeEndpoint: w.sandbox.kubeEndpoint }, targets: [{ ...SANDBOX_TARGETS[0]!, clusters: ["*"] }] } as unknown as AppConfig;
    const rt = createRuntime(config, { env: {} });
    try {
      sb.ctx.faults.configure({ failNext: { DescribeAccessEntry: 20 } });
      const broken = await clusterAccessViews([GREEN], rt.kube.clusterAccess);
      expect(broken["domino-green"]).toMatchObject({ ok: false });
      sb.ctx.faults.configure({});
      const views = await clusterAccessViews([GREEN, { ...GREEN, name: "domino-blue" }], rt.kube.clusterAccess);
    expect(Object.keys(views).sort()).toEqual(["domino-blue", "domino-green"]);
      const green = views["domino-green"]!;
      expect(green.ok && [green.access.principalArn, green.access.canDeletePods, green.access.fixCommands]).toEqual([SANDBOX_ADMIN_ARN, true, []]);
    } finally {
      await rt.close();
    }
  });
});
