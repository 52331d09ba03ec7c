// EKS over the real @aws-sdk/client-eks against the sandbox's HTTP endpoint.
import {
  CreatePodIdentityAssociationCommand,
  DeletePodIdentityAssociationCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribePodIdentityAssociationCommand,
  ListAddonsCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
  ListPodIdentityAssociationsCommand,
  UpdatePodIdentityAssociationCommand,
  paginateListPodIdentityAssociations,
} from "@aws-sdk/client-eks";
import { beforeAll, describe, expect, it } from "vitest";
import { LAKE, PROD, REGION, clients, failure, testWorld } from "../support/aws-world";
import { useWorld } from "../support/world";

// The hand-built world of tests/support/aws-world.ts, restored before every test.
const w = useWorld({ database: false, sandbox: { world: testWorld(), now: () => new Date("2026-11-27T10:00:00Z") } });
let eks: ReturnType<typeof clients>["eks"];
const appRole = `arn:aws:iam::${PROD}:role/app-role`;
const otherRole = `arn:aws:iam::${PROD}:role/other-role`;
const lakeTarget = `arn:aws:iam::${LAKE}:role/lake-target`;

beforeAll(() => {
  eks = clients(w.sandbox.awsEndpoint).eks;
});

const create = (sa: string, extra: Record<string, unknown> = {}) =>
  eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c1", namespace: "ns", serviceAccount: sa, roleArn: appRole, ...extra }));

describe("clusters, node groups, add-ons", () => {
  it("lists and describes clusters with the fields the app reads", async () => {
    const list = await eks.send(new ListClustersCommand({}));
    expect(list.clusters).toEqual(["c1", "c2"]);
    const page = await eks.send(new ListClustersCommand({ maxResults: 1 }));
    expect(page.clusters).toEqual(["c1"]);
    const next = await eks.send(new ListClustersCommand({ maxResults: 1, nextToken: page.nextToken }));
    expect(next.clusters).toEqual(["c2"]);
    expect(next.nextToken).toBeUndefined();

    const { cluster } = await eks.send(new DescribeClusterCommand({ name: "c1" }));
    expect(cluster).toMatchObject({
      name: "c1",
      arn: `arn:aws:eks:${REGION}:${PROD}:cluster/c1`,
      status: "ACTIVE",
      version: "1.31",
      roleArn: `arn:aws:iam::${PROD}:role/cluster-role`,
      identity: { oidc: { issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/C10000` } },
      tags: { env: "test" },
    });
    expect(cluster?.createdAt).toEqual(new Date("2026-01-01T00:00:00Z"));
    expect(cluster?.endpoint).toMatch(/^https:\/\//);

    const missing = await failure(eks.send(new DescribeClusterCommand({ name: "nope" })));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(missing.message).toBe("No cluster found for name: nope.");
  });

  it("lists and describes node groups and add-ons", async () => {
    expect((await eks.send(new ListNodegroupsCommand({ clusterName: "c1" }))).nodegroups).toEqual(["ng1"]);
    const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: "c1", nodegroupName: "ng1" }));
    expect(nodegroup).toMatchObject({ nodeRole: `arn:aws:iam::${PROD}:role/node-role`, status: "ACTIVE", clusterName: "c1" });
    expect((await failure(eks.send(new DescribeNodegroupCommand({ clusterName: "c1", nodegroupName: "x" })))).name).toBe(
      "ResourceNotFoundException",
    );
    expect((await eks.send(new ListAddonsCommand({ clusterName: "c1" }))).addons).toEqual(["aws-ebs-csi-driver"]);
    const { addon } = await eks.send(new DescribeAddonCommand({ clusterName: "c1", addonName: "aws-ebs-csi-driver" }));
    expect(addon?.addonVersion).toBe("v1.35.0-eksbuild.1");
    expect(addon?.podIdentityAssociations).toEqual([
      `arn:aws:eks:${REGION}:${PROD}:podidentityassociation/c1/a-addonowned000001`,
    ]);
    expect((await failure(eks.send(new ListAddonsCommand({ clusterName: "zz" })))).name).toBe("ResourceNotFoundException");
  });
});

describe("pod identity associations", () => {
  it("creates, describes, lists (no roleArn in summaries), updates and deletes", async () => {
    const { association } = await create("sa1", { tags: { team: "a" } });
    expect(association?.associationId).toMatch(/^a-[a-z0-9]{17}$/);
    expect(association?.associationArn).toBe(
      `arn:aws:eks:${REGION}:${PROD}:podidentityassociation/c1/${association?.associationId}`,
    );
    expect(association?.createdAt).toEqual(new Date("2026-11-27T10:00:00Z"));
    expect(association).toMatchObject({ clusterName: "c1", namespace: "ns", serviceAccount: "sa1", roleArn: appRole, tags: { team: "a" } });
    const id = association!.associationId!;

    const described = await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: id }));
    expect(described.association?.roleArn).toBe(appRole);

    const list = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "c1", namespace: "ns" }));
    expect(list.associations).toHaveLength(1);
    expect(list.associations?.[0]).toEqual({
      clusterName: "c1",
      namespace: "ns",
      serviceAccount: "sa1",
      associationArn: association?.associationArn,
      associationId: id,
    });
    expect(list.associations?.[0]).not.toHaveProperty("roleArn");
    const bySa = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "c1", serviceAccount: "ebs-csi-controller-sa" }));
    expect(bySa.associations?.map((a) => a.ownerArn)).toEqual([expect.stringContaining(":addon/c1/")]);

    const updated = await eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: "c1", associationId: id, roleArn: otherRole }));
    expect(updated.association).toMatchObject({ roleArn: otherRole, namespace: "ns", serviceAccount: "sa1" });

    const deleted = await eks.send(new DeletePodIdentityAssociationCommand({ clusterName: "c1", associationId: id }));
    expect(deleted.association).toMatchObject({ associationId: id, roleArn: otherRole });
    const gone = await failure(eks.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: id })));
    expect(gone.name).toBe("ResourceNotFoundException");
    expect(gone.$metadata.httpStatusCode).toBe(404);
    expect((await failure(eks.send(new DeletePodIdentityAssociationCommand({ clusterName: "c1", associationId: id })))).name).toBe(
      "ResourceNotFoundException",
    );
  });

  it("allows one association per (cluster, namespace, SA): ResourceInUseException 409", async () => {
    await create("dup");
    const err = await failure(create("dup", { roleArn: otherRole }));
    expect(err.name).toBe("ResourceInUseException");
    expect(err.$metadata.httpStatusCode).toBe(409);
    // Same SA on another cluster is fine.
    await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c2", namespace: "ns", serviceAccount: "dup", roleArn: appRole }));
  });

  it("rejects unknown clusters, missing roles and other-account roles", async () => {
    const noCluster = await failure(eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "zz", namespace: "n", serviceAccount: "s", roleArn: appRole })));
    expect(noCluster.name).toBe("ResourceNotFoundException");
    const noRole = await failure(create("s", { roleArn: `arn:aws:iam::${PROD}:role/does-not-exist` }));
    expect(noRole.name).toBe("InvalidParameterException");
    expect(noRole.$metadata.httpStatusCode).toBe(400);
    expect((await failure(create("s", { roleArn: lakeTarget }))).name).toBe("InvalidParameterException");
    expect((await failure(create("s", { targetRoleArn: `arn:aws:iam::${LAKE}:role/nope` }))).name).toBe("InvalidParameterException");
    expect((await failure(create("", {}))).name).toBe("InvalidParameterException");
  });

  it("session policy needs disableSessionTags and fits in 2048 chars", async () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    expect((await failure(create("p1", { policy }))).name).toBe("InvalidParameterException");
    const ok = await create("p1", { policy, disableSessionTags: true });
    expect(ok.association).toMatchObject({ policy, disableSessionTags: true });
    const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "x".repeat(2100) }] });
    expect((await failure(create("p2", { policy: big, disableSessionTags: true }))).name).toBe("InvalidParameterException");
    // Turning session tags back on while a policy is set is refused too.
    const err = await failure(
      eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: "c1", associationId: ok.association!.associationId!, disableSessionTags: false })),
    );
    expect(err.name).toBe("InvalidParameterException");
  });

  it("clientRequestToken makes create idempotent", async () => {
    const first = await create("idem", { clientRequestToken: "tok-1" });
    const again = await create("idem", { clientRequestToken: "tok-1" });
    expect(again.association?.associationId).toBe(first.association?.associationId);
    const list = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "c1", serviceAccount: "idem" }));
    expect(list.associations).toHaveLength(1);
    const mismatch = await failure(create("idem", { clientRequestToken: "tok-1", roleArn: otherRole }));
    expect(mismatch.name).toBe("InvalidRequestException");
    // Without the token the duplicate is a conflict.
    expect((await failure(create("idem"))).name).toBe("ResourceInUseException");
  });

  it("targetRoleArn adds a deterministic externalId; clearing it removes both", async () => {
    const { association } = await create("xacct", { targetRoleArn: lakeTarget });
    expect(association?.targetRoleArn).toBe(lakeTarget);
    expect(association?.externalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const id = association!.associationId!;
    const d = await eks.send(new DescribePodIdentityAssociationCommand({ clusterName: "c1", associationId: id }));
    expect(d.association?.externalId).toBe(association?.externalId);
    const cleared = await eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: "c1", associationId: id, targetRoleArn: "" }));
    expect(cleared.association?.targetRoleArn).toBeUndefined();
    expect(cleared.association?.externalId).toBeUndefined();
  });

  it("update: add-on owned associations are refused, namespace/SA immutable over the wire", async () => {
    const owned = await failure(
      eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: "c1", associationId: "a-addonowned000001", roleArn: appRole })),
    );
    expect(owned.name).toBe("InvalidRequestException");
    expect((await failure(eks.send(new DeletePodIdentityAssociationCommand({ clusterName: "c1", associationId: "a-addonowned000001" })))).name).toBe(
      "InvalidRequestException",
    );
    const { association } = await create("immut");
    // The SDK has no namespace member on Update; a raw client could still send one.
    const res = await fetch(`${w.sandbox.awsEndpoint}/clusters/c1/pod-identity-associations/${association?.associationId}`, {
      method: "POST",
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=test/20261127/${REGION}/eks/aws4_request, SignedHeaders=host, Signature=x`, "content-type": "application/json" },
      body: JSON.stringify({ namespace: "other" }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("InvalidParameterException");
    expect((await failure(eks.send(new UpdatePodIdentityAssociationCommand({ clusterName: "c1", associationId: "a-missing00000000x", roleArn: appRole })))).name).toBe(
      "ResourceNotFoundException",
    );
  });

  it("validates maxResults and pages through >100 associations with nextToken", async () => {
    for (const maxResults of [0, 101]) {
      const err = await failure(eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "c2", maxResults })));
      expect(err.name).toBe("InvalidParameterException");
    }
    expect((await failure(eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "c2", nextToken: "garbage" })))).name).toBe(
      "InvalidParameterException",
    );
    const created = new Set<string>();
    for (let i = 0; i < 130; i++) {
      const r = await eks.send(new CreatePodIdentityAssociationCommand({ clusterName: "c2", namespace: "bulk", serviceAccount: `sa-${i}`, roleArn: appRole }));
      created.add(r.association!.associationId!);
    }
    const first = await eks.send(new ListPodIdentityAssociationsCommand({ clusterName: "c2" }));
    expect(first.associations).toHaveLength(100);
    expect(first.nextToken).toBeTruthy();
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListPodIdentityAssociations({ client: eks, pageSize: 40 }, { clusterName: "c2" })) {
      pages++;
      seen.push(...(page.associations ?? []).map((a) => a.associationId!));
    }
    expect(pages).toBe(4);
    expect(new Set(seen)).toEqual(created);
    expect(seen).toHaveLength(130);
  });
});
