// Separation of duties cannot be automated away (issue 10, hole 5): service
// tokens may file and read but never approve or reject, whatever role an admin
// gave them; N approvals mean N distinct people (a person's session and their
// personal token are the same person). Real actions, routes and database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { loadConfig } from "@/lib/config/load";
import { startSandbox, type RunningSandbox } from "@/sandbox/server";
import { openTestDatabase, type TestDatabase } from "../support/db";
import { asBearer, asUser, harness } from "../support/app-harness";
import { databaseChecksum } from "../support/db";


const { createPersonalTokenAction } = await import("@/lib/actions/create-personal-token");
const { createServiceTokenAction } = await import("@/lib/actions/create-service-token");
const { createRequestAction } = await import("@/lib/actions/create-request");
const { approveRequestAction } = await import("@/lib/actions/approve-request");
const requestsRoute = await import("@/app/api/v1/requests/route");
const { POST: approve } = await import("@/app/api/v1/requests/[id]/approve/route");
const { POST: reject } = await import("@/app/api/v1/requests/[id]/reject/route");

let t: TestDatabase;
let sandbox: RunningSandbox;

const item = (serviceAccount: string) => ({
  kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount,
  roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped", justification: "separation of duties test",
});
const post = (path: string, token: string, body: unknown) =>
  new Request(`http://localhost${path}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
const byId = (id: string) => ({ params: Promise.resolve({ id }) });

async function fileAs(login: string, sa: string): Promise<string> {
  await asUser(login, "requester");
  const r = await createRequestAction(item(sa));
  if (!r.ok) throw new Error(r.error.message);
  return (r.data as { id: string }).id;
}
async function serviceToken(name: string, role: "approver" | "admin"): Promise<string> {
  await asUser("root-admin", "admin");
  const r = await createServiceTokenAction({ name, role, expiresInDays: 7 });
  if (!r.ok) throw new Error(r.error.message);
  return r.data.token;
}

beforeAll(async () => {
  t = await openTestDatabase();
  sandbox = await startSandbox({ awsPort: 0, kubePort: 0, log: () => {} });
  harness.prisma = t.prisma;
  harness.config = loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_SANDBOX_AWS_ENDPOINT: sandbox.awsEndpoint, ROLEGATE_SANDBOX_KUBE_ENDPOINT: sandbox.kubeEndpoint });
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await t?.close();
});

describe("only people review", () => {
  it("a service token with the approver (or admin) role cannot approve or reject: 403 saying why, nothing changes", async () => {
    const id = await fileAs("alice", "svc-sod-1");
    for (const token of [await serviceToken("ci-approver", "approver"), await serviceToken("ci-admin", "admin")]) {
      // A token's use is noted in memory (flushed in the background), so even the first use writes nothing.
      expect((await requestsRoute.GET(new Request("http://localhost/api/v1/requests", { headers: { authorization: `Bearer ${token}` } }))).status).toBe(200);
      const before = await databaseChecksum(t.prisma);
      const a = await approve(post(`/api/v1/requests/${id}/approve`, token, {}), byId(id));
      expect(a.status).toBe(403);
      expect((await a.json()).error.message).toMatch(/Service tokens may file and read requests but never approve or reject/);
      const r = await reject(post(`/api/v1/requests/${id}/reject`, token, { reason: "automation says no" }), byId(id));
      expect(r.status).toBe(403);
      expect(await databaseChecksum(t.prisma)).toBe(before);
    }
    expect(await t.prisma.review.count({ where: { requestId: id } })).toBe(0);
    expect((await t.prisma.request.findUniqueOrThrow({ where: { id } })).status).toBe("pending");
  });

  it("a service token may still file and read requests", async () => {
    const token = await serviceToken("ci-filer", "approver");
    asBearer(token);
    const filed = await requestsRoute.POST(post("/api/v1/requests", token, item("svc-sod-filed-by-ci")));
    expect(filed.status, await filed.clone().text()).toBe(201);
    const list = await requestsRoute.GET(new Request("http://localhost/api/v1/requests", { headers: { authorization: `Bearer ${token}` } }));
    expect(list.status).toBe(200);
  });

  it("a person's own personal token approves as that person", async () => {
    const id = await fileAs("alice", "svc-sod-2");
    await asUser("ivy", "approver");
    const created = await createPersonalTokenAction({ name: "ivy-cli", expiresInDays: 7 });
    if (!created.ok) throw new Error(created.error.message);
    const res = await approve(post(`/api/v1/requests/${id}/approve`, created.data.token, {}), byId(id));
    expect(res.status, await res.clone().text()).toBe(200);
    const review = await t.prisma.review.findFirstOrThrow({ where: { requestId: id }, include: { reviewer: true } });
    expect(review.reviewer.login).toBe("ivy");
  });

  it("two required approvals need two people: the same person by session and by token counts once, a service token not at all", async () => {
    await t.prisma.approvalPolicy.create({ data: { name: "two-people", version: 1, requiredApprovals: 2, approverRole: "approver", namespacePattern: "domino-compute", priority: 100, createdBy: "test" } });
    const id = await fileAs("bob", "svc-sod-3");
    expect((await t.prisma.request.findUniqueOrThrow({ where: { id } })).requiredApprovals).toBe(2);

    await asUser("ian", "approver");
    const token = await createPersonalTokenAction({ name: "ian-cli", expiresInDays: 7 });
    if (!token.ok) throw new Error(token.error.message);
    expect(await approveRequestAction({ id })).toMatchObject({ ok: true, data: { status: "pending", approvals: 1 } });
    const second = await approve(post(`/api/v1/requests/${id}/approve`, token.data.token, {}), byId(id));
    expect(second.status).toBe(409);
    const bot = await approve(post(`/api/v1/requests/${id}/approve`, await serviceToken("ci-second", "approver"), {}), byId(id));
    expect(bot.status).toBe(403);
    expect((await t.prisma.request.findUniqueOrThrow({ where: { id } })).status).toBe("pending");

    await asUser("ivy", "approver");
    expect(await approveRequestAction({ id })).toMatchObject({ ok: true, data: { status: "approved", approvals: 2 } });
    await t.prisma.approvalPolicy.deleteMany({ where: { name: "two-people" } });
  });

  it("the database refuses a review by a service account even when the application is bypassed", async () => {
    const id = await fileAs("alice", "svc-sod-4");
    await serviceToken("ci-direct", "approver");
    const svc = await t.prisma.user.findUniqueOrThrow({ where: { login: "svc:ci-direct" } });
    await expect(t.prisma.review.create({ data: { requestId: id, reviewerId: svc.id, decision: "approve" } })).rejects.toThrow(/service account, not a person/);
  });
});
