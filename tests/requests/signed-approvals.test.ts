// A database-only attacker (DATABASE_URL, not ROLEGATE_AUDIT_KEY) cannot make
// RoleGate apply anything: apply counts only approvals RoleGate signed over the
// request as it is now (lib/requests/approval-signatures.ts). A forged review, a
// status set to approved or applying, an item edited after approval, an erased
// override or lowered requirements all end the request as failed with
// request.apply_refused_unsigned, and no AWS call. Requests approved before the
// signatures existed are signed once by a data migration. Real Postgres and the
// sandbox's EKS; the job runner as the app runs it.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getAuditKey } from "@/lib/audit/key";
import { runDataMigrations } from "@/lib/db/migrate";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { loadSignedContent, reviewSignature } from "@/lib/requests/approval-signatures";
import { createRequestRunner } from "@/lib/workers/request-handlers";
import { signOpenApprovals, SIGN_OPEN_APPROVALS } from "@/lib/requests/sign-open-approvals";
import { OTHER_PI_ROLE, PI_ROLE } from "../support/constants";
import { createInput, runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy", "ian"], sandbox: true });
const { alice, ivy, ian } = w.users;
const ADMIN_ROLE = "arn:aws:iam::111122223333:role/platform-admin";

/** The ledger outlives the per-test reset: each test starts from a database the signing has not run on. */
const forgetSigning = () => w.prisma.$executeRaw`DELETE FROM "_rolegate_migrations" WHERE name = ${SIGN_OPEN_APPROVALS}`;
beforeEach(() => forgetSigning());
afterAll(() => forgetSigning());

const createCalls = () => w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" });
const request = (id: string) => w.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: true } });
const refusals = (requestId: string) => w.prisma.auditEvent.findMany({ where: { requestId, event: "request.apply_refused_unsigned" } });

const file = (sa: string, roleArn = OTHER_PI_ROLE) => createRequest(w.deps, alice, createInput(sa, roleArn));
const needTwoApprovals = (id: string) => w.prisma.request.update({ where: { id }, data: { approvalRequirements: [{ role: "approver", count: 2, policyVersionIds: [null] }], requiredApprovals: 2 } });

/** What the attacker does with SQL alone: the status they want, and the apply job, which the runner then picks up. */
async function forceApply(requestId: string, status: "approved" | "applying" = "approved") {
  await w.prisma.request.update({ where: { id: requestId }, data: { status, decidedAt: new Date(), version: { increment: 1 } } });
  await w.prisma.job.create({ data: { queue: "apply-request", key: `forged:${requestId}:${status}`, payload: { requestId }, maxAttempts: 10 } });
  await runner(w).drain();
}

/** Refused: failed, the items say why, one audit row naming the reason, and nothing sent to EKS for the SA. */
async function expectRefused(requestId: string, sa: string, reason: RegExp) {
  const r = await request(requestId);
  expect(r.status).toBe("failed");
  for (const i of r.items) expect(i).toMatchObject({ status: "failed", lastErrorCode: "ApprovalUnverified", lastErrorMessage: expect.stringMatching(/could not be verified.*nothing was sent to AWS/) });
  const rows = await refusals(requestId);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ actor: "system", toState: "failed" });
  expect(JSON.stringify(rows[0]!.details)).toMatch(reason);
  expect(createCalls()).toEqual([]);
  expect(sandboxAssociations(w, "domino-green", "domino-compute", sa)).toHaveLength(0);
}

describe("apply verifies the approval, not the status column", () => {
  it("the normal approve -> apply flow: the review is signed, the request applies, nothing is refused", async () => {
    const r = await file("svc-signed");
    await approveRequest(w.deps, ivy, { id: r.id });
    expect((await w.prisma.review.findFirstOrThrow({ where: { requestId: r.id } })).signature).toMatch(/^[0-9a-f]{64}$/);
    await runner(w).drain();
    expect((await request(r.id)).status).toBe("applied");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-signed")).toHaveLength(1);
    expect(await refusals(r.id)).toEqual([]);
  });

  it("a pending request set to approved with a forged review row and an apply job: no AWS call, failed, refusal audited", async () => {
    const r = await file("svc-forged");
    await w.prisma.review.create({ data: { requestId: r.id, reviewerId: ivy.id, reviewerRole: "approver", decision: "approve" } });
    await forceApply(r.id);
    await expectRefused(r.id, "svc-forged", /0 of its 1 recorded approval\(s\) verify/);
  });

  it("a signature copied from a real approval of another request does not verify, nor does a status set straight to applying", async () => {
    const real = await file("svc-real");
    await approveRequest(w.deps, ivy, { id: real.id });
    const { signature } = await w.prisma.review.findFirstOrThrow({ where: { requestId: real.id } });
    await w.prisma.job.deleteMany({ where: { queue: "apply-request" } });

    const copied = await file("svc-copied");
    await w.prisma.review.create({ data: { requestId: copied.id, reviewerId: ivy.id, reviewerRole: "approver", decision: "approve", signature } });
    await forceApply(copied.id, "applying");
    await expectRefused(copied.id, "svc-copied", /0 of its 1 recorded approval\(s\) verify/);
  });

  it("requirements lowered to none (as a system filing's): refused, there is no signed system approval", async () => {
    const r = await file("svc-nopolicy");
    await w.prisma.request.update({ where: { id: r.id }, data: { approvalRequirements: [], requiredApprovals: 0 } });
    await forceApply(r.id);
    await expectRefused(r.id, "svc-nopolicy", /no human approval, yet carries no system approval/);
  });

  it("a request needing two approvals, with one, whose requirements are lowered to one in the database: refused", async () => {
    const r = await file("svc-lowered");
    await needTwoApprovals(r.id);
    await approveRequest(w.deps, ivy, { id: r.id });
    expect((await request(r.id)).status).toBe("pending");
    await w.prisma.request.update({ where: { id: r.id }, data: { approvalRequirements: [{ role: "approver", count: 1, policyVersionIds: [null] }], requiredApprovals: 1 } });
    await forceApply(r.id);
    await expectRefused(r.id, "svc-lowered", /0 of its 1 recorded approval\(s\) verify/);
  });

  it("an approved request whose item's roleArn is changed in the database before apply: refused, nothing created", async () => {
    const r = await file("svc-swapped");
    await approveRequest(w.deps, ivy, { id: r.id });
    await w.prisma.requestItem.updateMany({ where: { requestId: r.id }, data: { roleArn: ADMIN_ROLE } });
    await runner(w).drain();
    await expectRefused(r.id, "svc-swapped", /0 of its 1 recorded approval\(s\) verify over its current items/);
    // Put back, the signature verifies again: a retry applies exactly what was approved.
    await w.prisma.requestItem.updateMany({ where: { requestId: r.id }, data: { roleArn: OTHER_PI_ROLE, status: "pending" } });
    await w.prisma.request.update({ where: { id: r.id }, data: { status: "applying", version: { increment: 1 } } });
    await w.prisma.job.create({ data: { queue: "apply-request", key: "again", payload: { requestId: r.id } } });
    await runner(w).drain();
    expect((await request(r.id)).status).toBe("applied");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-swapped").map((a) => a.roleArn)).toEqual([OTHER_PI_ROLE]);
  });

  it("an override is part of what is signed: erasing its reason in the database makes the approval fail to verify", async () => {
    // PI_ROLE is not in domino-green's node-role policy: a non-blocking failure, approved with an override.
    const r = await file("svc-override", PI_ROLE);
    await approveRequest(w.deps, ivy, { id: r.id, override: { reason: "Node role policy is widened by the platform team" } });
    expect(await w.prisma.auditEvent.count({ where: { requestId: r.id, event: "request.approved_with_override" } })).toBe(1);
    await w.prisma.review.updateMany({ where: { requestId: r.id }, data: { overrideReason: null } });
    await runner(w).drain();
    await expectRefused(r.id, "svc-override", /0 of its 1 recorded approval\(s\) verify/);
  });

  it("an approval older than ROLEGATE_APPROVAL_VALID_HOURS does not cover an apply", async () => {
    const r = await file("svc-stale");
    await approveRequest(w.deps, ivy, { id: r.id });
    const later = () => new Date(Date.now() + 73 * 3600_000);
    await createRequestRunner({ ...w.deps, now: later, backoff: { tries: 2, baseMs: 1 } }, { leaseMs: 60_000, log: () => {} }, async () => true).drain();
    await expectRefused(r.id, "svc-stale", /older than 72 hours \(ROLEGATE_APPROVAL_VALID_HOURS\)/);
  });
});

describe("requests approved before reviews were signed", () => {
  it("are signed once by the data migration and apply; a review forged after it is refused, however often RoleGate starts", async () => {
    // As the previous version left it: approved, the apply job queued, the review unsigned (and without its role).
    const legacy = await file("svc-legacy");
    await approveRequest(w.deps, ivy, { id: legacy.id });
    await w.prisma.review.updateMany({ where: { requestId: legacy.id }, data: { signature: null, reviewerRole: null } });
    // Partly approved: its unsigned review is signed too, so the second approval completes it.
    const partial = await file("svc-partial");
    await needTwoApprovals(partial.id);
    await approveRequest(w.deps, ivy, { id: partial.id });
    await w.prisma.review.updateMany({ where: { requestId: partial.id }, data: { signature: null } });

    expect(await runDataMigrations(w.prisma, [signOpenApprovals(getAuditKey())])).toEqual([SIGN_OPEN_APPROVALS]);
    const signed = await w.prisma.review.findFirstOrThrow({ where: { requestId: legacy.id } });
    expect(signed).toMatchObject({ reviewerRole: "approver", signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(signed.signature).toBe(reviewSignature(signed, (await loadSignedContent(w.prisma, legacy.id))!.digest));

    // After it: a forged review stays unsigned, even if the migration is offered again.
    const forged = await file("svc-late-forgery");
    await w.prisma.review.create({ data: { requestId: forged.id, reviewerId: ivy.id, reviewerRole: "approver", decision: "approve" } });
    await forceApply(forged.id);
    expect(await runDataMigrations(w.prisma, [signOpenApprovals(getAuditKey())])).toEqual([]);

    await approveRequest(w.deps, ian, { id: partial.id });
    await runner(w).drain();
    expect((await request(legacy.id)).status).toBe("applied");
    expect((await request(partial.id)).status).toBe("applied");
    expect((await request(forged.id)).status).toBe("failed");
    expect(await refusals(forged.id)).toHaveLength(1);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-late-forgery")).toHaveLength(0);
    expect(createCalls().filter((c) => c.status === 200)).toHaveLength(2);
  });
});
