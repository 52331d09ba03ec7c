// A create-role item through POST /api/v1/requests (the whole pipeline, real
// database and sandbox): filed beside the create item naming its ARN (201, the
// association's prechecks passing on the role to be born); bad input is a 400
// naming the item's field, and files nothing.
import { describe, expect, it, vi } from "vitest";
import * as managedPolicies from "@/app/api/v1/managed-policies/route";
import * as prechecks from "@/app/api/v1/prechecks/route";
import * as requests from "@/app/api/v1/requests/route";
import { PROD, REGION } from "../support/constants";
import { call, useApiWorld } from "./support";

vi.mock("server-only", () => ({}));
vi.mock("next/headers", async () => (await import("../support/app-harness")).nextHeadersMock);
vi.mock("@/lib/db", async () => (await import("../support/app-harness")).dbMock);
vi.mock("@/lib/config", async (orig) => (await import("../support/app-harness")).configMock(await orig()));

const w = useApiWorld();
const roleItem = { kind: "create-role", roleName: "api-born", path: "/workloads/", managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"], inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" }] } };
const createItem = { kind: "create", cluster: "domino-green", accountId: PROD, region: REGION, namespace: "domino-compute", serviceAccount: "api-born-sa", roleArn: `arn:aws:iam::${PROD}:role/workloads/api-born` };
const body = (role: Record<string, unknown>) => ({ kind: "batch", justification: "a role born behind approval, over the API", items: [{ ...roleItem, ...role }, createItem] });

describe("create-role over /api/v1/requests", () => {
  it("bad input is a 400 naming the field; nothing is filed", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `arn:aws:iam::aws:policy/Policy${i}`);
    for (const [role, field] of [
      [{ inlinePolicy: "{\"Statement\": [" }, "items.0.inlinePolicy"],
      [{ managedPolicyArns: eleven }, "items.0.managedPolicyArns"],
      [{ roleName: "has space" }, "items.0.roleName"],
      [{ maxSessionDuration: 50_000 }, "items.0.maxSessionDuration"],
      [{ inlinePolicy: { Statement: [{ Effect: "Permit", Action: "s3 GetObject", Resource: "*", Principal: "*" }] } }, "items.0.inlinePolicy"],
      [{ inlinePolicy: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::b/${"x".repeat(10_300)}` }] } }, "items.0.inlinePolicy"],
      [{ path: "workloads" }, "items.0.path"],
    ] as const) {
      const res = await call(requests.POST, "requester", { body: body(role) });
      expect(res.status, field).toBe(400);
      expect(Object.keys(res.body.error.fields), field).toEqual([field]);
    }
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("files the role and the association in one request (201), the IAM team's to approve", async () => {
    const res = await call(requests.POST, "requester", { body: body({}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // The role to be born counts as existing, trusting Pod Identity (the seeded node role's own restriction is another matter).
    const status = (id: string) => res.body.prechecks.find((p: { id: string }) => p.id === id)?.status;
    expect([status("role-exists"), status("trust-allows-pod-identity")]).toEqual(["pass", "pass"]);
    const items = await w.prisma.requestItem.findMany({ where: { requestId: res.body.id }, orderBy: { position: "asc" } });
    expect(items.map((i) => [i.kind, i.roleArn])).toEqual([["create-role", createItem.roleArn], ["create", createItem.roleArn]]);
    const request = await w.prisma.request.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(request.approvalRequirements).toEqual(expect.arrayContaining([expect.objectContaining({ role: "approver" })]));
  });

  it("GET /api/v1/managed-policies searches IAM's AWS managed catalogue (ListPolicies, every page); auditors may not", async () => {
    const s3 = await call(managedPolicies.GET, "requester", { path: "/api/v1/managed-policies?query=s3" });
    expect(s3.status).toBe(200);
    expect(s3.body.policies.map((p: { name: string }) => p.name)).toEqual(["AmazonS3FullAccess", "AmazonS3ReadOnlyAccess"]);
    expect(s3.body.policies[1]).toEqual({ name: "AmazonS3ReadOnlyAccess", arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", path: "/" });
    const all = await call(managedPolicies.GET, "requester", { path: "/api/v1/managed-policies" });
    expect(all.body.total).toBeGreaterThanOrEqual(40);
    expect(all.body.policies).toHaveLength(50);
    const jobs = await call(managedPolicies.GET, "requester", { path: "/api/v1/managed-policies?query=job-function/" });
    expect(jobs.body.policies.map((p: { arn: string }) => p.arn)).toContain("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess");
    expect(jobs.body.total).toBe(jobs.body.policies.length);
    expect((await call(managedPolicies.GET, "requester", { path: "/api/v1/managed-policies?accountId=999999999999" })).status).toBe(400);
    expect((await call(managedPolicies.GET, "auditor", { path: "/api/v1/managed-policies" })).status).toBe(403);
  });

  it("POST /api/v1/prechecks takes the batch before filing: the create item counts the role as born, bornRoles carries its tight trust; a bad inline policy is a 400 naming the item's field", async () => {
    const { justification: _j, ...unjustified } = body({});
    const res = await call(prechecks.POST, "requester", { path: "/api/v1/prechecks", body: unjustified });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const status = (id: string) => res.body.prechecks.find((p: { id: string }) => p.id === id)?.status;
    expect([status("role-exists"), status("trust-allows-pod-identity")]).toEqual(["pass", "pass"]);
    expect(res.body.bornRoles).toHaveLength(1);
    expect(res.body.bornRoles[0]).toMatchObject({ arn: createItem.roleArn, name: "api-born" });
    const trust = JSON.parse(res.body.bornRoles[0].trustPolicy);
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: { StringEquals: { "aws:SourceAccount": PROD }, ArnEquals: { "aws:SourceArn": `arn:aws:eks:${REGION}:${PROD}:cluster/domino-green` } },
      }),
    ]);
    // Without the create-role item the same create item finds no such role.
    const alone = await call(prechecks.POST, "requester", { path: "/api/v1/prechecks", body: createItem });
    expect(alone.body.prechecks.find((p: { id: string }) => p.id === "role-exists")?.status).toBe("fail");
    expect(alone.body.bornRoles).toEqual([]);

    const bad = await call(prechecks.POST, "requester", { path: "/api/v1/prechecks", body: { ...unjustified, items: [{ ...roleItem, inlinePolicy: "{\"Statement\": [{\"Effect\": \"Permit\"}]}" }, createItem] } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(["items.0.inlinePolicy"]);
    expect(bad.body.error.fields["items.0.inlinePolicy"].join(" ")).toMatch(/Effect must be "Allow" or "Deny"/);
  });
});
