// The placement APIs of the sandbox, through the real clients: EKS DescribeCluster
// (Auto Mode's computeConfig/storageConfig/elasticLoadBalancing), ListFargateProfiles
// (paged) and DescribeFargateProfile (ResourceNotFoundException) over restJson1;
// Kubernetes nodes, apps/v1 DaemonSets with their status, and pods with nodeName
// and Ready conditions, through lib/kube.
import { DescribeClusterCommand, DescribeFargateProfileCommand, EKSClient, ListFargateProfilesCommand } from "@aws-sdk/client-eks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsClientPool, EksInventoryGateway } from "@/lib/aws";
import { EksLookup } from "@/lib/aws/eks";
import { KubeGateway } from "@/lib/kube";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { failure } from "../support/aws-world";
import { sandboxKubeAccess } from "../support/sandbox-kube";

let sb: RunningSandbox;
let eks: EKSClient;
let pool: AwsClientPool;
let kube: KubeGateway;
let access: ReturnType<typeof sandboxKubeAccess>;
/** Raw calls carry an EKS token minted as the app mints them (the sandbox verifies it). */
const auth = async (cluster: string) => ({ authorization: `Bearer ${(await access.connector.connect(cluster)).token}` });
const WEST = { accountId: "111122223333", region: "us-west-2" };

beforeAll(async () => {
  sb = await startSandbox({ awsPort: 0, kubePort: 0, log: () => {} });
  eks = new EKSClient({ endpoint: sb.awsEndpoint, region: "us-west-2", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
  pool = new AwsClientPool({ endpoint: sb.awsEndpoint, maxAttempts: 1 });
  access = sandboxKubeAccess(sb, [WEST, { ...WEST, region: "us-east-1" }], pool);
  kube = new KubeGateway(access, { pageSize: 2, maxAttempts: 1 });
}, 60_000);
afterAll(async () => {
  eks?.destroy();
  pool?.destroy();
  await sb?.close();
});

describe("EKS placement operations", () => {
  it("DescribeCluster answers Auto Mode's three capabilities together, and nothing of them for a node-group cluster", async () => {
    const auto = (await eks.send(new DescribeClusterCommand({ name: "domino-auto" }))).cluster!;
    expect(auto.computeConfig).toEqual({ enabled: true, nodePools: ["general-purpose", "system"], nodeRoleArn: "arn:aws:iam::111122223333:role/domino-auto-node-role" });
    expect(auto.storageConfig).toEqual({ blockStorage: { enabled: true } });
    expect(auto.kubernetesNetworkConfig?.elasticLoadBalancing).toEqual({ enabled: true });
    const mixed = (await eks.send(new DescribeClusterCommand({ name: "domino-mixed" }))).cluster!;
    expect(mixed.computeConfig).toBeUndefined();
    const lookup = new EksLookup(pool);
    expect(await lookup.findCluster(WEST, "domino-auto")).toMatchObject({ autoMode: true });
    expect(await lookup.findCluster(WEST, "domino-mixed")).toMatchObject({ autoMode: false });
    // The Blue/Green region does not see the us-west-2 clusters.
    expect(await lookup.findCluster({ ...WEST, region: "us-east-1" }, "domino-auto")).toBeNull();
  });

  it("ListFargateProfiles pages with nextToken and DescribeFargateProfile returns selectors; an unknown profile is ResourceNotFoundException", async () => {
    const first = await eks.send(new ListFargateProfilesCommand({ clusterName: "domino-mixed", maxResults: 1 }));
    expect(first.fargateProfileNames).toEqual(["fp-batch"]);
    expect(first.nextToken).toBeTruthy();
    const second = await eks.send(new ListFargateProfilesCommand({ clusterName: "domino-mixed", maxResults: 1, nextToken: first.nextToken }));
    expect(second.fargateProfileNames).toEqual(["fp-serverless"]);
    expect(second.nextToken).toBeUndefined();
    const p = (await eks.send(new DescribeFargateProfileCommand({ clusterName: "domino-mixed", fargateProfileName: "fp-batch" }))).fargateProfile!;
    expect(p).toMatchObject({ fargateProfileName: "fp-batch", clusterName: "domino-mixed", status: "ACTIVE", selectors: [{ namespace: "domino-compute", labels: { "dominodatalab.com/compute": "fargate" } }] });
    expect(p.createdAt).toBeInstanceOf(Date);
    expect(p.fargateProfileArn).toMatch(/^arn:aws:eks:us-west-2:111122223333:fargateprofile\/domino-mixed\/fp-batch\//);
    const missing = await failure(eks.send(new DescribeFargateProfileCommand({ clusterName: "domino-mixed", fargateProfileName: "nope" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect((await failure(eks.send(new ListFargateProfilesCommand({ clusterName: "no-such-cluster" })))).name).toBe("ResourceNotFoundException");
    expect((await failure(eks.send(new ListFargateProfilesCommand({ clusterName: "domino-mixed", maxResults: 101 })))).name).toBe("InvalidParameterException");
    expect(await new EksInventoryGateway(pool).fargateProfiles(WEST, "domino-auto")).toEqual([]);
  });
});

describe("Kubernetes placement objects", () => {
  it("serves nodes with their OS and compute-type labels and Ready condition (paged)", async () => {
    const nodes = await kube.listNodes("domino-mixed");
    expect(nodes.filter((n) => n.labels["kubernetes.io/os"] === "windows")).toHaveLength(1);
    const fargate = nodes.filter((n) => n.labels["eks.amazonaws.com/compute-type"] === "fargate");
    expect(fargate).toHaveLength(1);
    expect(fargate[0]!.name).toMatch(/^fargate-ip-/);
    expect(nodes.every((n) => n.ready)).toBe(true);
    const res = await fetch(`${sb.kubeEndpoint}/clusters/domino-mixed/api/v1/nodes/${fargate[0]!.name}`, { headers: await auth("domino-mixed") });
    expect((await res.json()).spec.taints).toEqual([{ key: "eks.amazonaws.com/compute-type", value: "fargate", effect: "NoSchedule" }]);
  });

  it("serves the Helm-installed agent DaemonSet with the status the controller reports", async () => {
    const [ds] = await kube.listDaemonSets("domino-selfmanaged", "kube-system");
    expect(ds).toMatchObject({ name: "eks-pod-identity-agent", desired: 3, ready: 2, nodeSelector: { "kubernetes.io/os": "linux" } });
    expect(ds!.labels["app.kubernetes.io/managed-by"]).toBe("Helm");
    const raw = await (await fetch(`${sb.kubeEndpoint}/clusters/domino-selfmanaged/apis/apps/v1/namespaces/kube-system/daemonsets/eks-pod-identity-agent`, { headers: await auth("domino-selfmanaged") })).json();
    expect(raw).toMatchObject({ kind: "DaemonSet", apiVersion: "apps/v1", status: { desiredNumberScheduled: 3, numberReady: 2, numberUnavailable: 1 } });
    const gone = await fetch(`${sb.kubeEndpoint}/clusters/domino-auto/apis/apps/v1/namespaces/kube-system/daemonsets/eks-pod-identity-agent`, { headers: await auth("domino-auto") });
    expect(gone.status).toBe(404);
    expect((await gone.json()).details).toMatchObject({ kind: "daemonsets", group: "apps" });
    // Discovery names the apps group as the API server does.
    const groups = await (await fetch(`${sb.kubeEndpoint}/clusters/domino-auto/apis`, { headers: await auth("domino-auto") })).json();
    expect(groups.groups.map((g: { name: string }) => g.name)).toContain("apps");
  });

  it("pods carry spec.nodeName, their labels (eks.amazonaws.com/fargate-profile on Fargate) and the Ready condition", async () => {
    const pods = await kube.listPods("domino-mixed", { namespace: "domino-compute" });
    const fargate = pods.find((p) => p.serviceAccountName === "svc-fargate-batch")!;
    expect(fargate.labels?.["eks.amazonaws.com/fargate-profile"]).toBe("fp-batch");
    expect(fargate.nodeName).toMatch(/^fargate-ip-/);
    expect(fargate.ready).toBe(true);
    const agents = await kube.listPods("domino-selfmanaged", { namespace: "kube-system" });
    expect(agents.filter((p) => p.ownerName === "eks-pod-identity-agent" && !p.ready)).toHaveLength(1);
  });
});
