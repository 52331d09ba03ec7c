// EKS authentication and access-entry authorization of the sandbox's Kubernetes
// API, and the access-entry API through the real @aws-sdk/client-eks.
import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DisassociateAccessPolicyCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAccessPoliciesCommand,
  ListAssociatedAccessPoliciesCommand,
} from "@aws-sdk/client-eks";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mintEksToken } from "@/lib/aws";
import { SANDBOX_ADMIN_ARN } from "@/sandbox/seed/clusters";
import { useWorld } from "../support/world";

const SANDBOX = { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" };
const VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
const EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
const ROLE = "arn:aws:iam::111122223333:role/restarter";
let now = new Date();
// The sandbox's clock is the file's (token expiry); useWorld resets its seed before each test.
const w = useWorld({ database: false, sandbox: { now: () => now } });
const sb = {
  get ctx() {
    return w.sandbox.ctx;
  },
  get awsEndpoint() {
    return w.sandbox.awsEndpoint;
  },
  get kubeEndpoint() {
    return w.sandbox.kubeEndpoint;
  },
};
let eks: EKSClient;

beforeAll(() => {
  eks = new EKSClient({ endpoint: sb.awsEndpoint, region: "us-east-1", credentials: SANDBOX, maxAttempts: 1 });
});
afterAll(() => eks.destroy());
beforeEach(() => {
  now = new Date();
  const account = sb.ctx.world.accounts["111122223333"]!;
  account.roles.restarter = {
    roleName: "restarter", roleId: "AROARESTARTERXXXXXXXX", arn: ROLE, path: "/", createDate: now.toISOString(), maxSessionDuration: 3600,
    assumeRolePolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }] }),
    inlinePolicies: {}, attachedPolicies: [], tags: [],
  };
});

async function kube(cluster: string, path: string, token: string | undefined, method = "GET") {
  const res = await fetch(`${sb.kubeEndpoint}/clusters/${cluster}${path}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: (await res.json()) as { kind?: string; reason?: string; message?: string; code?: number; items?: { metadata: { name: string } }[] } };
}

const token = async (clusterName: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = SANDBOX, signingDate = now) =>
  (await mintEksToken({ clusterName, region: "us-east-1", credentials, signingDate })).token;

async function restarterCredentials() {
  const sts = new STSClient({ endpoint: sb.awsEndpoint, region: "us-east-1", credentials: SANDBOX });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: "rolegate" }));
  sts.destroy();
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

const PODS = "/api/v1/namespaces/domino-compute/pods";
/** The error a call fails with (a call that succeeds fails the test). */
const failure = (p: Promise<unknown>): Promise<Error> => p.then(() => { throw new Error("expected the call to fail"); }, (e: Error) => e);

describe("sandbox Kubernetes API in EKS authentication mode", () => {
  it("accepts a valid token of the cluster creator's access entry", async () => {
    const r = await kube("domino-green", PODS, await token("domino-green"));
    expect(r.status).toBe(200);
    expect(r.body.items!.length).toBeGreaterThan(0);
  });

  it("answers 401 Unauthorized Status without a token, with a non-EKS token, expired, for another cluster, or badly signed", async () => {
    const cases = {
      none: undefined,
      opaque: "sandbox-token",
      expired: await token("domino-green", SANDBOX, new Date(now.getTime() - 15 * 60_000 - 1000)),
      otherCluster: await token("domino-blue"),
      badSignature: await token("domino-green", { ...SANDBOX, secretAccessKey: "not-the-secret" }),
      tampered: (await token("domino-green")).slice(0, -4) + "AAAA",
    };
    for (const [name, t] of Object.entries(cases)) {
      const r = await kube("domino-green", PODS, t);
      expect([name, r.status]).toEqual([name, 401]);
      expect(r.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
    }
    // Fourteen minutes old is still inside EKS's 15-minute window.
    expect((await kube("domino-green", PODS, await token("domino-green", SANDBOX, new Date(now.getTime() - 14 * 60_000)))).status).toBe(200);
  });

  it("answers 401 for a principal with no access entry, 403 where its access policy does not reach, 200 where it does", async () => {
    const creds = await restarterCredentials();
    const t = await token("domino-green", creds);
    expect((await kube("domino-green", PODS, t)).status).toBe(401);

    await eks.send(new CreateAccessEntryCommand({ clusterName: "domino-green", principalArn: ROLE }));
    const noPolicy = await kube("domino-green", PODS, t);
    expect(noPolicy.status).toBe(403);
    expect(noPolicy.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
    expect(noPolicy.body.message).toBe(`pods is forbidden: User "arn:aws:sts::111122223333:assumed-role/restarter/rolegate" cannot list resource "pods" in API group "" in the namespace "domino-compute"`);

    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: ROLE, policyArn: VIEW, accessScope: { type: "cluster" } }));
    const pods = await kube("domino-green", PODS, t);
    expect(pods.status).toBe(200);
    expect((await kube("domino-green", "/api/v1/serviceaccounts", t)).status).toBe(200);
    const victim = pods.body.items![0]!.metadata.name;
    expect((await kube("domino-green", `${PODS}/${victim}`, t, "DELETE")).status).toBe(403);

    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: ROLE, policyArn: EDIT, accessScope: { type: "namespace", namespaces: ["domino-compute"] } }));
    expect((await kube("domino-green", `${PODS}/${victim}`, t, "DELETE")).status).toBe(200);
    const kubeSystemPod = Object.values(sb.ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters["domino-green"]!.kube.pods).find((p) => p.namespace === "kube-system")!;
    expect((await kube("domino-green", `/api/v1/namespaces/kube-system/pods/${kubeSystemPod.name}`, t, "DELETE")).status).toBe(403);
    // The access entry is per cluster: the same role is unknown to domino-blue.
    expect((await kube("domino-blue", PODS, await token("domino-blue", creds))).status).toBe(401);
  });
});

describe("creating and deleting through access entries", () => {
  it("view may not create or delete service accounts or create pods (403); edit in the namespace may (201, 200)", async () => {
    const t = await token("domino-green", await restarterCredentials());
    await eks.send(new CreateAccessEntryCommand({ clusterName: "domino-green", principalArn: ROLE }));
    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: ROLE, policyArn: VIEW, accessScope: { type: "cluster" } }));
    const SAS = "/api/v1/namespaces/domino-compute/serviceaccounts";
    const post = (path: string, body: unknown) => fetch(`${sb.kubeEndpoint}/clusters/domino-green${path}`, { method: "POST", headers: { Authorization: `Bearer ${t}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const refused = await post(SAS, { metadata: { name: "dmjob-x" } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toBe(`serviceaccounts is forbidden: User "arn:aws:sts::111122223333:assumed-role/restarter/rolegate" cannot create resource "serviceaccounts" in API group "" in the namespace "domino-compute"`);
    expect((await post(PODS, { metadata: { name: "p" }, spec: { serviceAccountName: "default", containers: [{ name: "c" }] } })).status).toBe(403);
    expect((await kube("domino-green", `${SAS}/svc-etl-nightly`, t, "DELETE")).status).toBe(403);

    await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-green", principalArn: ROLE, policyArn: EDIT, accessScope: { type: "namespace", namespaces: ["domino-compute"] } }));
    const created = await post(SAS, { metadata: { name: "dmjob-x" } });
    expect(created.status).toBe(201);
    expect((await created.json()).metadata.name).toBe("dmjob-x");
    expect((await kube("domino-green", `${SAS}/dmjob-x`, t, "DELETE")).status).toBe(200);
    expect((await post("/api/v1/namespaces/kube-system/serviceaccounts", { metadata: { name: "dmjob-x" } })).status).toBe(403);
  });
});

describe("EKS access entries over @aws-sdk/client-eks", () => {
  it("creates, describes, lists and deletes entries with AWS's shapes and errors", async () => {
    const created = await eks.send(new CreateAccessEntryCommand({ clusterName: "domino-blue", principalArn: ROLE, kubernetesGroups: ["viewers"], tags: { team: "iam" } }));
    expect(created.accessEntry).toMatchObject({ clusterName: "domino-blue", principalArn: ROLE, kubernetesGroups: ["viewers"], type: "STANDARD", tags: { team: "iam" }, username: "arn:aws:sts::111122223333:assumed-role/restarter/{{SessionName}}" });
    expect(created.accessEntry!.accessEntryArn).toMatch(/^arn:aws:eks:us-east-1:111122223333:access-entry\/domino-blue\/role\/111122223333\/restarter\/[0-9a-f-]{36}$/);
    expect(created.accessEntry!.createdAt).toBeInstanceOf(Date);
    const dup = await failure(eks.send(new CreateAccessEntryCommand({ clusterName: "domino-blue", principalArn: ROLE })));
    expect(dup.name).toBe("ResourceInUseException");
    const bad = await failure(eks.send(new CreateAccessEntryCommand({ clusterName: "domino-blue", principalArn: "arn:aws:sts::111122223333:assumed-role/x/y" })));
    expect([bad.name, bad.message]).toEqual(["InvalidParameterException", "The principalArn parameter format is not valid"]);
    const noCluster = await failure(eks.send(new ListAccessEntriesCommand({ clusterName: "nope" })));
    expect(noCluster.name).toBe("ResourceNotFoundException");

    expect((await eks.send(new ListAccessEntriesCommand({ clusterName: "domino-blue" }))).accessEntries!.sort()).toEqual([ROLE, SANDBOX_ADMIN_ARN].sort());
    expect((await eks.send(new DescribeAccessEntryCommand({ clusterName: "domino-blue", principalArn: ROLE }))).accessEntry!.principalArn).toBe(ROLE);
    await eks.send(new DeleteAccessEntryCommand({ clusterName: "domino-blue", principalArn: ROLE }));
    const gone = await failure(eks.send(new DescribeAccessEntryCommand({ clusterName: "domino-blue", principalArn: ROLE })));
    expect(gone.name).toBe("ResourceNotFoundException");
  });

  it("associates, lists, filters by and disassociates access policies; validates the scope", async () => {
    await eks.send(new CreateAccessEntryCommand({ clusterName: "domino-blue", principalArn: ROLE }));
    const assoc = await eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-blue", principalArn: ROLE, policyArn: EDIT, accessScope: { type: "namespace", namespaces: ["domino-compute"] } }));
    expect(assoc).toMatchObject({ clusterName: "domino-blue", principalArn: ROLE, associatedAccessPolicy: { policyArn: EDIT, accessScope: { type: "namespace", namespaces: ["domino-compute"] } } });
    const listed = await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: "domino-blue", principalArn: ROLE }));
    expect(listed.associatedAccessPolicies!.map((p) => p.policyArn)).toEqual([EDIT]);
    expect((await eks.send(new ListAccessEntriesCommand({ clusterName: "domino-blue", associatedPolicyArn: EDIT }))).accessEntries).toEqual([ROLE]);
    const noNs = await failure(eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-blue", principalArn: ROLE, policyArn: VIEW, accessScope: { type: "namespace" } })));
    expect(noNs.name).toBe("InvalidParameterException");
    const unknownPolicy = await failure(eks.send(new AssociateAccessPolicyCommand({ clusterName: "domino-blue", principalArn: ROLE, policyArn: "arn:aws:eks::aws:cluster-access-policy/Nope", accessScope: { type: "cluster" } })));
    expect(unknownPolicy.name).toBe("ResourceNotFoundException");
    await eks.send(new DisassociateAccessPolicyCommand({ clusterName: "domino-blue", principalArn: ROLE, policyArn: EDIT }));
    expect((await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: "domino-blue", principalArn: ROLE }))).associatedAccessPolicies).toEqual([]);
    const again = await failure(eks.send(new DisassociateAccessPolicyCommand({ clusterName: "domino-blue", principalArn: ROLE, policyArn: EDIT })));
    expect(again.name).toBe("ResourceNotFoundException");
    const policies = await eks.send(new ListAccessPoliciesCommand({}));
    expect(policies.accessPolicies!.map((p) => p.name)).toEqual(expect.arrayContaining(["AmazonEKSViewPolicy", "AmazonEKSEditPolicy", "AmazonEKSClusterAdminPolicy"]));
  });

  it("gives the creator of a new cluster an admin entry (bootstrapClusterCreatorAdminPermissions)", async () => {
    const entries = await eks.send(new ListAccessEntriesCommand({ clusterName: "domino-green" }));
    expect(entries.accessEntries).toContain(SANDBOX_ADMIN_ARN);
    const policies = await eks.send(new ListAssociatedAccessPoliciesCommand({ clusterName: "domino-green", principalArn: SANDBOX_ADMIN_ARN }));
    expect(policies.associatedAccessPolicies!.map((p) => [p.policyArn, p.accessScope?.type])).toEqual([["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", "cluster"]]);
  });
});
