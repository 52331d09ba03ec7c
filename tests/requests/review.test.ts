// Filing, reviewing and the rules of review, on the real database and sandbox.
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { approveRequest } from "@/lib/requests/approve-request";
import { cancelRequest } from "@/lib/requests/cancel-request";
import { createRequest } from "@/lib/requests/create-request";
import { expireRequests } from "@/lib/requests/expire-requests";
import { rejectRequest } from "@/lib/requests/reject-request";
import { OTHER_PI_ROLE } from "../support/constants";
import { createInput } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy", "ian", "root", "audrey"], sandbox: true });
const { alice, ivy, ian, root, audrey } = w.users;

const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `unexpected: ${(e as Error).message}`));

describe("filing a request", () => {
  it("stores items, passing prechecks and a pending state, and audits the creation", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-new-1"));
    expect(r.status).toBe("pending");
    const byId = Object.fromEntries(r.prechecks.map((p) => [p.id, p.status]));
    expect(byId).toMatchObject({ "cluster-pod-identity-agent": "pass", "role-exists": "pass", "trust-allows-pod-identity": "pass", "service-account-association": "pass" });
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(row.items[0]).toMatchObject({ cluster: "domino-green", accountId: "111122223333", region: "us-east-1", clientRequestToken: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const audit = await w.prisma.auditEvent.findMany();
    expect(audit.map((a) => a.event)).toEqual(["request.created"]);
  });

  it("fails prechecks with a fix: no agent on Blue, SA already mapped, trust without TagSession, session policy with tags on", async () => {
    const blue = await createRequest(w.deps, alice, { ...createInput("svc-x"), cluster: "domino-blue" });
    expect(blue.prechecks.find((p) => p.id === "cluster-pod-identity-agent")).toMatchObject({ status: "fail", fix: { kind: "addon" } });
    const mapped = await createRequest(w.deps, alice, createInput("svc-mlflow"));
    expect(mapped.prechecks.find((p) => p.id === "service-account-association")).toMatchObject({ status: "fail", fix: { kind: "request", json: { kind: "update" } } });
    const noTag = await createRequest(w.deps, alice, createInput("svc-y", "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export"));
    const trust = noTag.prechecks.find((p) => p.id === "trust-allows-pod-identity")!;
    expect(trust.status).toBe("fail");
    expect(JSON.stringify(trust.fix!.json)).toContain("sts:TagSession");
    const policy = await createRequest(w.deps, alice, { ...createInput("svc-z"), sessionPolicy: '{"Version":"2012-10-17","Statement":[]}' });
    expect(policy.prechecks.find((p) => p.id === "session-policy")).toMatchObject({ status: "fail", fix: { json: { disableSessionTags: true } } });
  });
});

describe("reviewing", () => {
  it("approver cannot approve own request, and neither can an admin", async () => {
    const own = await createRequest(w.deps, ivy, createInput("svc-own"));
    expect(await code(approveRequest(w.deps, ivy, { id: own.id }))).toBe("forbidden");
    const adminOwn = await createRequest(w.deps, root, createInput("svc-admin"));
    expect(await code(approveRequest(w.deps, root, { id: adminOwn.id }))).toBe("forbidden");
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: adminOwn.id } })).status).toBe("pending");
  });

  it("the database itself refuses a review by the requester", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-db"));
    await expect(w.prisma.review.create({ data: { requestId: r.id, reviewerId: alice.id, decision: "approve" } })).rejects.toThrow(/requester/);
  });

  it("requesters and auditors cannot approve", async () => {
    const r = await createRequest(w.deps, root, createInput("svc-roles"));
    expect(await code(approveRequest(w.deps, alice, { id: r.id }))).toBe("forbidden");
    expect(await code(approveRequest(w.deps, audrey, { id: r.id }))).toBe("forbidden");
  });

  it("one review per person: a second approval by the same approver is a conflict", async () => {
    await w.prisma.approvalPolicy.create({ data: { name: "two-eyes", version: 1, requiredApprovals: 2, priority: 10 } });
    const r = await createRequest(w.deps, alice, createInput("svc-two"));
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("pending");
    expect(await code(approveRequest(w.deps, ivy, { id: r.id }))).toBe("conflict");
    expect((await approveRequest(w.deps, ian, { id: r.id })).status).toBe("approved");
    const events = (await w.prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((a) => a.event);
    expect(events).toEqual(["request.created", "request.approval_recorded", "request.approved"]);
  });

  it("reject records the reason; the request can no longer be approved", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-rej"));
    expect((await rejectRequest(w.deps, ivy, { id: r.id, reason: "Use the read-only role" })).status).toBe("rejected");
    expect(await code(approveRequest(w.deps, ian, { id: r.id }))).toBe("conflict");
    const review = await w.prisma.review.findFirstOrThrow({ where: { requestId: r.id } });
    expect(review).toMatchObject({ decision: "reject", comment: "Use the read-only role" });
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "request.rejected" } });
    expect(audit.actor).toBe("ivy");
  });

  it("cancel is for the requester; expiry closes pending requests", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-cancel", OTHER_PI_ROLE));
    expect(await code(cancelRequest(w.deps, ivy, { id: r.id }))).toBe("forbidden");
    expect((await cancelRequest(w.deps, alice, { id: r.id })).status).toBe("cancelled");
    const old = await createRequest({ ...w.deps, now: () => new Date(Date.now() - 8 * 24 * 3600_000) }, alice, createInput("svc-old"));
    expect(await expireRequests({ prisma: w.prisma })).toEqual([old.id]);
    expect(await code(approveRequest(w.deps, ivy, { id: old.id }))).toBe("conflict");
  });
});
