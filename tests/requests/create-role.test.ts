// Roles born behind approval, against real Postgres and the sandbox's IAM and EKS:
// a create-role item is approved by the IAM team, creates the role (trust for Pod
// Identity tightened to the request's cluster, managed policies, inline policy,
// boundary), then the association that names it; a crash part-way is resumed
// without creating anything twice; an existing role is adopted only when identical.
import { describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { retryRequest } from "@/lib/requests/retry-request";
import type { CreateRequestInput } from "@/lib/requests/input";
import { PROD, REGION } from "../support/constants";
import { createInput, runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy", "root"], sandbox: true });
const { alice, ivy, root } = w.users;

const inline = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::domino-datasets/*" }] };
const BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess";
const roleArn = (name: string) => `arn:aws:iam::${PROD}:role/workloads/${name}`;

function batch(name: string, sa: string, extra: Record<string, unknown> = {}): CreateRequestInput {
  return {
    kind: "batch",
    justification: "a new Domino job needs its own narrowly scoped role",
    items: [
      { kind: "create-role", roleName: name, path: "/workloads/", description: "dmjob data reader", managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"], inlinePolicy: JSON.stringify(inline), permissionsBoundaryArn: BOUNDARY, maxSessionDuration: 7200, tags: { team: "data" }, ...extra },
      createInput(sa, roleArn(name)),
    ],
  } as CreateRequestInput;
}

const iamRole = (name: string) => w.sandbox.ctx.world.accounts[PROD]!.roles[name];
const calls = (operation: string) => w.sandbox.ctx.calls.list({ operation }).filter((c) => c.status === 200).length;
const status = async (id: string) => (await w.prisma.request.findUniqueOrThrow({ where: { id } })).status;

describe("create-role items", () => {
  it("files with the new role counted as existing, only the IAM team approves, then applies the role before the association", async () => {
    const r = await createRequest(w.deps, alice, batch("dmjob-reader", "dmjob-1"));
    // The association's prechecks see the role as it will be born: it exists and trusts Pod Identity.
    for (const id of ["role-exists", "trust-allows-pod-identity"]) expect(r.prechecks.find((p) => p.id === id)?.status, id).toBe("pass");
    const items = await w.prisma.requestItem.findMany({ where: { requestId: r.id }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.kind)).toEqual(["create-role", "create"]);
    expect(items[0]!.roleArn).toBe(roleArn("dmjob-reader"));
    expect(iamRole("dmjob-reader")).toBeUndefined();

    // An admin is not the IAM team.
    await expect(approveRequest(w.deps, root, { id: r.id })).rejects.toMatchObject({ code: "forbidden" });
    await approveRequest(w.deps, ivy, { id: r.id });
    await runner(w).drain();
    expect(await status(r.id)).toBe("applied");

    const role = iamRole("dmjob-reader")!;
    expect(role).toMatchObject({ path: "/workloads/", description: "dmjob data reader", maxSessionDuration: 7200, permissionsBoundary: BOUNDARY });
    expect(role.attachedPolicies.map((p) => p.policyName).sort()).toEqual(["AmazonS3ReadOnlyAccess", "CloudWatchAgentServerPolicy"]);
    expect(JSON.parse(role.inlinePolicies["rolegate-inline"]!)).toEqual(inline);
    expect(role.tags).toEqual(expect.arrayContaining([{ Key: "team", Value: "data" }, { Key: "rolegate.io/request-item", Value: items[0]!.id }]));
    const trust = JSON.parse(role.assumeRolePolicyDocument);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": PROD }, ArnEquals: { "aws:SourceArn": `arn:aws:eks:${REGION}:${PROD}:cluster/domino-green` } },
      }),
    ]);
    const assocs = sandboxAssociations(w, "domino-green", "domino-compute", "dmjob-1");
    expect(assocs.map((a) => a.roleArn)).toEqual([roleArn("dmjob-reader")]);
    // The role was created before the association was.
    const log = w.sandbox.ctx.calls.list({}).filter((c) => c.status === 200).map((c) => c.operation);
    expect(log.indexOf("CreateRole")).toBeLessThan(log.indexOf("CreatePodIdentityAssociation"));
    const after = await w.prisma.requestItem.findMany({ where: { requestId: r.id }, orderBy: { position: "asc" } });
    expect(after.map((i) => [i.status, i.outcome])).toEqual([["applied", "created"], ["applied", "created"]]);
  }, 60_000);

  it("a crash after CreateRole (the next call fails) is resumed by a retry that creates nothing twice and restores a removed boundary", async () => {
    const r = await createRequest(w.deps, alice, batch("dmjob-crash", "dmjob-2"));
    await approveRequest(w.deps, ivy, { id: r.id });
    w.sandbox.ctx.faults.configure({ failNext: { AttachRolePolicy: 10 } });
    await runner(w).drain();
    expect(await status(r.id)).toBe("failed");
    expect(iamRole("dmjob-crash")).toBeDefined();
    expect(iamRole("dmjob-crash")!.attachedPolicies).toEqual([]);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "dmjob-2")).toHaveLength(0);
    const roleItem = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id, kind: "create-role" } });
    expect(roleItem).toMatchObject({ status: "failed", lastErrorMessage: expect.stringMatching(/AttachRolePolicy/) });

    w.sandbox.ctx.faults.configure({});
    // Meanwhile someone removed the boundary (DeleteRolePermissionsBoundary): the retry puts it back.
    delete iamRole("dmjob-crash")!.permissionsBoundary;
    const creates = calls("CreateRole");
    await retryRequest(w.deps, alice, { id: r.id });
    await runner(w).drain();
    expect(await status(r.id)).toBe("applied");
    expect(calls("CreateRole")).toBe(creates);
    expect(calls("PutRolePermissionsBoundary")).toBe(1);
    expect(iamRole("dmjob-crash")!.attachedPolicies).toHaveLength(2);
    expect(iamRole("dmjob-crash")!.permissionsBoundary).toBe(BOUNDARY);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "dmjob-2")).toHaveLength(1);
  }, 60_000);

  it("adopts an existing role of the same content; fails, changing nothing, when its content differs", async () => {
    const first = await createRequest(w.deps, alice, batch("dmjob-twin", "dmjob-3"));
    await approveRequest(w.deps, ivy, { id: first.id });
    await runner(w).drain();
    expect(await status(first.id)).toBe("applied");
    // The same role asked for again by another request: adopted.
    const same = await createRequest(w.deps, alice, batch("dmjob-twin", "dmjob-4"));
    await approveRequest(w.deps, ivy, { id: same.id });
    await runner(w).drain();
    expect(await status(same.id)).toBe("applied");
    expect((await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: same.id, kind: "create-role" } })).outcome).toBe("adopted");

    const before = JSON.stringify(iamRole("dmjob-twin"));
    const other = await createRequest(w.deps, alice, batch("dmjob-twin", "dmjob-5", { maxSessionDuration: 3600, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }));
    await approveRequest(w.deps, ivy, { id: other.id });
    await runner(w).drain();
    expect(await status(other.id)).toBe("failed");
    const failed = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: other.id, kind: "create-role" } });
    expect(failed.lastErrorCode).toBe("RoleExistsDifferently");
    expect(failed.lastErrorMessage).toMatch(/maximum session is 7200s, not 3600s/);
    expect(failed.lastErrorMessage).toMatch(/attached policies/);
    expect(JSON.stringify(iamRole("dmjob-twin"))).toBe(before);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "dmjob-5")).toHaveLength(0);
  }, 60_000);

  // Malformed inline policies, 11 managed policies, bad names: tests/api/create-role.test.ts (the 400s of the pipeline).
  it("refuses a role without the boundary the administrators require, or without a create item, filing nothing", async () => {
    const strict = { ...w.deps, requiredPermissionsBoundary: "arn:aws:iam::111122223333:policy/WorkloadBoundary" };
    await expect(createRequest(strict, alice, batch("dmjob-bad", "dmjob-6"))).rejects.toMatchObject({ code: "invalid", fields: { "items.0.permissionsBoundaryArn": [expect.stringContaining("WorkloadBoundary")] } });
    const lone = batch("dmjob-bad", "dmjob-6") as { items: unknown[] };
    await expect(createRequest(w.deps, alice, { ...lone, items: lone.items.slice(0, 1) } as CreateRequestInput)).rejects.toMatchObject({ code: "invalid" });
    expect(await w.prisma.request.count()).toBe(0);
    expect(iamRole("dmjob-bad")).toBeUndefined();
  });
});
