// RoleGate's own access on a cluster and the restart precheck, against the
// sandbox: access entry and access policies from EKS, SelfSubjectAccessReview
// from the Kubernetes API, with the commands that grant what is missing.
import { AssociateAccessPolicyCommand, CreateAccessEntryCommand, DisassociateAccessPolicyCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsCallError, EksAccessGateway } from "@/lib/aws";
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
let iam: IAMClient;
let deps: AccessDeps;

beforeAll(() => {
  const client = { endpoint: w.sandbox.awsEndpoint, region: "us-east-1", credentials: { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" } };
  eks = new EKSClient(client);
  iam = new IAMClient(client);
  deps = { eksAccess: new EksAccessGateway(w.pool), kube: w.kube, locationFor: () => SANDBOX_TARGETS[0]! };
});
afterAll(() => {
  eks.destroy();
  iam.destroy();
});

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

// deploy/iam creates role/rolegate/RoleGateAccess; its sessions' ARNs
// (assumed-role/RoleGateAccess/rolegate) drop the path, access entries do not.
describe("RoleGate acting as a role with a path", () => {
  const ROLE_ARN = "arn:aws:iam::111122223333:role/rolegate/RoleGateAccess";
  const EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

  /** RoleGateAccess as deploy/iam creates it, trusted by the account, with an access entry on domino-green (view everywhere, edit in domino-compute). */
  async function createAccessRole() {
    const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }] };
    await iam.send(new CreateRoleCommand({ RoleName: "RoleGateAccess", Path: "/rolegate/", AssumeRolePolicyDocument: JSON.stringify(trust) }));
    await eks.send(new CreateAccessEntryCommand({ clusterName: "domino-green", principalArn: ROLE_ARN }));
    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: ROLE_ARN, policyArn: VIEW, accessScope: { type: "cluster" } }));
    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: ROLE_ARN, policyArn: EDIT, accessScope: { type: "namespace", namespaces: ["domino-compute"] } }));
  }

  it("assumed through the target's assume-role ARN: /clusters finds its entry and the restart precheck passes; commands name the full ARN", async () => {
    await createAccessRole();
    const config = { mode: "sandbox", sandbox: { awsEndpoint: w.sandbox.awsEndpoint, kubeEndpoint: w.sandbox.kubeEndpoint }, targets: [{ ...SANDBOX_TARGETS[0]!, assumeRoleArn: ROLE_ARN, clusters: ["*"] }] } as unknown as AppConfig;
    const rt = createRuntime(config, { env: {} });
    try {
      const views = await clusterAccessViews([GREEN, { ...GREEN, name: "domino-blue" }], rt.kube.clusterAccess);
      const green = views["domino-green"]!;
      expect(green.ok).toBe(true);
      if (!green.ok) return;
      expect(green.access).toMatchObject({ callerArn: "arn:aws:sts::111122223333:assumed-role/RoleGateAccess/rolegate", principalArn: ROLE_ARN, canListServiceAccounts: true, canListPods: true, canDeletePods: true, fixCommands: [] });
      expect(green.access.entry?.principalArn).toBe(ROLE_ARN);
      expect(await deletePodsPrecheck(rt.kube.clusterAccess, { ...GREEN, cluster: "domino-green", namespace: "domino-compute" })).toMatchObject({ status: "pass" });

      // domino-blue has no entry for the role: the commands create one for the role that exists.
      const blue = views["domino-blue"]!;
      expect(blue.ok && blue.access.fixCommands[0]).toBe(`aws eks --region us-east-1 create-access-entry --cluster-name domino-blue --principal-arn ${ROLE_ARN}`);
      const check = await deletePodsPrecheck(rt.kube.clusterAccess, { ...GREEN, cluster: "domino-blue", namespace: "domino-compute" });
      expect(check.status).toBe("fail");
      expect(check.message).toContain(`RoleGate (${ROLE_ARN})`);
      expect(check.message).toContain(`--principal-arn ${ROLE_ARN} `);
    } finally {
      await rt.close();
    }
  });

  it("as a session of a role not configured for the target (RoleGate's own Pod Identity role): the full ARN comes from IAM", async () => {
    await createAccessRole();
    const gateway = new EksAccessGateway(w.pool);
    const location = SANDBOX_TARGETS[0]!;
    // The caller ARN as EKS Pod Identity credentials report it.
    const session = "arn:aws:sts::111122223333:assumed-role/RoleGateAccess/eks-rolegate-rolegate-5f7d";
    const since = w.sandbox.ctx.calls.lastSeq;
    expect(await gateway.principalArn(location, session)).toBe(ROLE_ARN);
    expect(w.sandbox.ctx.calls.list({ sinceSeq: since }).map((c) => c.operation)).toEqual(["GetRole"]);
    // Users and roles given as roles are their own principal, without asking IAM.
    expect(await gateway.principalArn(location, SANDBOX_ADMIN_ARN)).toBe(SANDBOX_ADMIN_ARN);
    const missing = await gateway.principalArn(location, "arn:aws:sts::111122223333:assumed-role/NoSuchRole/x").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AwsCallError);
    expect(missing).toMatchObject({ operation: "GetRole", code: "NoSuchEntityException" });
  });
});
