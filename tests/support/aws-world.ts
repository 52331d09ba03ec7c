// A small hand-built world for the AWS sandbox tests (independent of the demo
// fleet, so seed changes never break protocol tests) and SDK client factories.
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { SandboxCluster, SandboxRole, SandboxWorld } from "@/sandbox/model";
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from "@/sandbox/server";
import { PROD, REGION } from "./constants";

export { PROD, REGION };

export const LAKE = "444455556666";
const T0 = "2026-01-01T00:00:00.000Z";

export const podTrust = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});

export function role(account: string, name: string, trust: string, extra: Partial<SandboxRole> = {}): SandboxRole {
  return {
    roleName: name,
    roleId: `AROA${name.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(17, "X").slice(0, 17)}`,
    arn: `arn:aws:iam::${account}:role/${name}`,
    path: "/",
    createDate: T0,
    maxSessionDuration: 3600,
    assumeRolePolicyDocument: trust,
    inlinePolicies: {},
    attachedPolicies: [],
    tags: [],
    ...extra,
  };
}

export function cluster(name: string, account = PROD): SandboxCluster {
  const arn = `arn:aws:eks:${REGION}:${account}:cluster/${name}`;
  return {
    name,
    arn,
    region: REGION,
    accountId: account,
    version: "1.31",
    status: "ACTIVE",
    createdAt: T0,
    oidcIssuer: `https://oidc.eks.${REGION}.amazonaws.com/id/${name.toUpperCase()}0000`,
    endpoint: `https://${name}.gr7.${REGION}.eks.amazonaws.com`,
    roleArn: `arn:aws:iam::${account}:role/cluster-role`,
    tags: { env: "test" },
    nodegroups: {},
    addons: {},
    associations: {},
    kube: { namespaces: {}, serviceAccounts: {}, pods: {} },
  };
}

export function testWorld(): SandboxWorld {
  const c1 = cluster("c1");
  c1.nodegroups.ng1 = {
    nodegroupName: "ng1",
    nodegroupArn: `arn:aws:eks:${REGION}:${PROD}:nodegroup/c1/ng1/abc`,
    nodeRole: `arn:aws:iam::${PROD}:role/node-role`,
    status: "ACTIVE",
    createdAt: T0,
    instanceTypes: ["m5.large"],
    scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
  };
  const addonArn = `arn:aws:eks:${REGION}:${PROD}:addon/c1/aws-ebs-csi-driver/xyz`;
  c1.addons["aws-ebs-csi-driver"] = {
    addonName: "aws-ebs-csi-driver",
    addonVersion: "v1.35.0-eksbuild.1",
    addonArn,
    status: "ACTIVE",
    createdAt: T0,
    modifiedAt: T0,
  };
  c1.associations["a-addonowned000001"] = {
    associationId: "a-addonowned000001",
    associationArn: `arn:aws:eks:${REGION}:${PROD}:podidentityassociation/c1/a-addonowned000001`,
    clusterName: "c1",
    namespace: "kube-system",
    serviceAccount: "ebs-csi-controller-sa",
    roleArn: `arn:aws:iam::${PROD}:role/ebs-csi`,
    disableSessionTags: false,
    tags: {},
    createdAt: T0,
    modifiedAt: T0,
    ownerArn: addonArn,
  };
  const readerTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: "sts:AssumeRole" }],
  });
  const prodRoles = ["app-role", "other-role", "ebs-csi", "node-role", "cluster-role"].map((n) => role(PROD, n, podTrust));
  const lakeRoles = [
    role(LAKE, "lake-target", readerTrust),
    role(LAKE, "rolegate-reader", readerTrust),
    role(LAKE, "locked", podTrust),
    role(LAKE, "lake-data", podTrust, { path: "/data/" }),
  ];
  lakeRoles[3]!.arn = `arn:aws:iam::${LAKE}:role/data/lake-data`;
  const oidcArn = `arn:aws:iam::${PROD}:oidc-provider/oidc.eks.${REGION}.amazonaws.com/id/C10000`;
  return {
    accounts: {
      [PROD]: {
        accountId: PROD,
        alias: "prod",
        roles: Object.fromEntries(prodRoles.map((r) => [r.roleName, r])),
        oidcProviders: {
          [oidcArn]: {
            arn: oidcArn,
            url: `oidc.eks.${REGION}.amazonaws.com/id/C10000`,
            clientIdList: ["sts.amazonaws.com"],
            thumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
            createDate: T0,
            tags: [],
          },
        },
        regions: { [REGION]: { clusters: { c1, c2: cluster("c2") } } },
      },
      [LAKE]: {
        accountId: LAKE,
        alias: "lake",
        roles: Object.fromEntries(lakeRoles.map((r) => [r.roleName, r])),
        oidcProviders: {},
        regions: {},
      },
    },
  };
}

export async function startTestSandbox(opts: StartSandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ world: testWorld(), awsPort: 0, kubePort: 0, log: () => {}, ...opts });
}

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const defaultCreds: Creds = { accessKeyId: "test", secretAccessKey: "test" };

export function clients(endpoint: string, credentials: Creds = defaultCreds, maxAttempts = 1) {
  const config = { endpoint, region: REGION, credentials, maxAttempts };
  return { eks: new EKSClient(config), iam: new IAMClient(config), sts: new STSClient(config) };
}

/** Runs a promise that must fail and returns the SDK error. */
export async function failure(p: Promise<unknown>): Promise<Error & { name: string; $metadata: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } ; [k: string]: unknown }> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error("expected the call to fail");
}
