// Issue 10: the approval gate cannot be bypassed or misrepresented (holes 1, 2, 6, 8
// and the request parts of 10), on the real database and the sandbox over HTTP.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { readJsonBody } from "@/lib/core/read-body";
import type { RequestItem } from "@/lib/db/generated/client";
import { applyItem } from "@/lib/requests/apply-item";
import { precheckOp } from "@/lib/api/operations/requests";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import type { Actor } from "@/lib/requests/deps";
import { getRequestView } from "@/lib/requests/get-request";
import { retryRequest } from "@/lib/requests/retry-request";
import { policyHash } from "@/lib/requests/trust-guard";
import { createRequestRunner } from "@/lib/workers/request-handlers";
import { OTHER_PI_ROLE, PI_ROLE } from "../support/constants";
import { createInput, runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

vi.mock("server-only", () => ({}));

const w = useWorld({ users: ["alice", "ivy", "ian", "root"], sandbox: true });
const { alice, ivy, ian, root } = w.users;
// A third IAM-team member (not a demo user), made after each reset.
let ivan: Actor;
beforeEach(async () => {
  ivan = await w.makeUser("ivan", "approver");
});

type Refusal = { code: string; message: string; fields: Record<string, string[]> };
const refusal = (p: Promise<unknown>): Promise<Refusal> =>
  p.then(
    () => ({ code: "ok", message: "", fields: {} as Record<string, string[]> }),
    (e) => (e instanceof DomainError ? { code: e.code, message: e.message, fields: (e.fields ?? {}) as Record<string, string[]> } : { code: `unexpected: ${(e as Error).message}`, message: "", fields: {} }),
  );
const status = async (id: string) => (await w.prisma.request.findUniqueOrThrow({ where: { id } })).status;
const deleteCalls = () => w.sandbox.ctx.calls.list({ operation: "DeletePodIdentityAssociation" });
const abac = () => sandboxAssociations(w, "domino-green", "domino-compute", "svc-abac-jobs")[0]!;

async function ownAssociation(sa: string) {
  const c = await createRequest(w.deps, alice, createInput(sa));
  await approveRequest(w.deps, ivy, { id: c.id });
  await runner(w).drain();
  return sandboxAssociations(w, "domino-green", "domino-compute", sa)[0]!;
}

describe("hole 1: the subject of an update/delete is what AWS says, not the claim", () => {
  it("refuses a delete of one's own SA that carries another SA's association id, naming both, and deletes nothing", async () => {
    await ownAssociation("alice-own-sa");
    const victim = abac();
    const r = await refusal(createRequest(w.deps, alice, { ...createInput("alice-own-sa"), kind: "delete", roleArn: undefined, associationId: victim.associationId }));
    expect(r.code).toBe("invalid");
    expect(r.fields.associationId?.[0]).toContain("domino-compute/svc-abac-jobs");
    expect(r.fields.associationId?.[0]).toContain("domino-compute/alice-own-sa");
    expect(await w.prisma.request.count({ where: { kind: "delete" } })).toBe(0);
    expect(abac()).toBeDefined();
  });

  it("an update with another SA's id is refused too; an unknown id is refused", async () => {
    const victim = abac();
    const update = await refusal(createRequest(w.deps, alice, { ...createInput("alice-own-sa", OTHER_PI_ROLE), kind: "update", associationId: victim.associationId }));
    expect(update.code).toBe("invalid");
    const unknown = await refusal(createRequest(w.deps, alice, { ...createInput("alice-own-sa"), kind: "delete", roleArn: undefined, associationId: "a-00000000000000000" }));
    expect(unknown.fields.associationId?.[0]).toMatch(/no association a-00000000000000000/);
  });

  it("stores, shows and audits the resolved association and the role it maps; a stated role that differs is refused", async () => {
    const own = await ownAssociation("svc-subject");
    const wrongRole = await refusal(createRequest(w.deps, alice, { ...createInput("svc-subject", OTHER_PI_ROLE), kind: "delete" }));
    expect(wrongRole.fields.roleArn?.[0]).toContain(`maps ${PI_ROLE}, not the stated ${OTHER_PI_ROLE}`);
    const d = await createRequest(w.deps, alice, { ...createInput("svc-subject"), kind: "delete", roleArn: undefined });
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: d.id } });
    expect(item).toMatchObject({ associationId: own.associationId, subjectRoleArn: PI_ROLE, roleArn: PI_ROLE, serviceAccount: "svc-subject" });
    const view = await getRequestView(w.prisma, d.id);
    expect(view.items[0]).toMatchObject({ associationId: own.associationId, subjectRoleArn: PI_ROLE });
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { subject: `request:${d.id}`, event: "request.created" } });
    expect(audit).toMatchObject({ roleArn: PI_ROLE });
  });

  it("an update is matched against the policies as the role it replaces too, and request.created audits each item's association and replaced role", async () => {
    const own = await ownAssociation("svc-replaced");
    // Leaving PI_ROLE needs 3 approvals; the new role alone would need the built-in 1.
    const leaving = await w.prisma.approvalPolicy.create({ data: { name: "leaving-pi", version: 1, rolePattern: PI_ROLE, requiredApprovals: 3 } });
    const u = await createRequest(w.deps, alice, { ...createInput("svc-replaced", OTHER_PI_ROLE), kind: "update" });
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: u.id } });
    expect(row).toMatchObject({ requiredApprovals: 3, policyVersionId: leaving.id });
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { subject: `request:${u.id}`, event: "request.created" } });
    expect((audit.details as { subjects: unknown }).subjects).toEqual([
      { item: 0, kind: "update", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-replaced", associationId: own.associationId, subjectRoleArn: PI_ROLE, roleArn: OTHER_PI_ROLE },
    ]);
  });

  it("apply re-reads the association and fails the item without a write when its role changed since approval", async () => {
    await ownAssociation("svc-moved");
    const d = await createRequest(w.deps, alice, { ...createInput("svc-moved"), kind: "delete", roleArn: undefined });
    await approveRequest(w.deps, ivy, { id: d.id });
    // Out of band, between approval and apply: the association now maps another role.
    sandboxAssociations(w, "domino-green", "domino-compute", "svc-moved")[0]!.roleArn = OTHER_PI_ROLE;
    const before = deleteCalls().length;
    await runner(w).drain();
    expect(await status(d.id)).toBe("failed");
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: d.id, kind: "delete" } });
    expect(item).toMatchObject({ status: "failed", lastErrorCode: "AssociationChanged" });
    expect(item.lastErrorMessage).toContain(OTHER_PI_ROLE);
    expect(deleteCalls().length).toBe(before);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-moved")).toHaveLength(1);
  });
});

describe("hole 2: every item is matched on its own and the request needs the union", () => {
  it("a harmless item in another namespace no longer lowers a 3-approval policy to the default", async () => {
    const strict = await w.prisma.approvalPolicy.create({ data: { name: "team", version: 1, namespacePattern: "team-*", requiredApprovals: 3 } });
    const r = await createRequest(w.deps, alice, {
      kind: "batch",
      justification: "Team job plus a harmless compute SA",
      items: [
        { ...createInput("svc-team"), namespace: "team-a" },
        { ...createInput("svc-harmless") },
      ].map(({ justification: _j, ...i }) => i),
    });
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
    expect(row.requiredApprovals).toBe(3);
    expect(row.approvalRequirements).toEqual([{ role: "approver", count: 3, policyVersionIds: [strict.id, null] }]);
    expect((await getRequestView(w.prisma, r.id)).policy.requirements).toEqual([{ role: "approver", count: 3, policyVersionIds: [strict.id, null] }]);
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("pending");
    expect((await approveRequest(w.deps, ian, { id: r.id })).status).toBe("pending");
    expect((await approveRequest(w.deps, ivan, { id: r.id })).status).toBe("approved");
  });

  it("needs approvals from each role an item asks for; one role's approvals do not meet another's", async () => {
    await w.prisma.approvalPolicy.create({ data: { name: "team-admins", version: 1, namespacePattern: "team-*", requiredApprovals: 1, approverRole: "admin" } });
    await w.prisma.approvalPolicy.create({ data: { name: "compute-two", version: 1, namespacePattern: "domino-compute", requiredApprovals: 2 } });
    const r = await createRequest(w.deps, alice, {
      kind: "batch",
      justification: "One SA in each namespace",
      items: [createInput("svc-in-compute"), { ...createInput("svc-in-team"), namespace: "team-b" }].map(({ justification: _j, ...i }) => i),
    });
    const view = await getRequestView(w.prisma, r.id);
    expect(view.policy.requirements.map((q) => [q.role, q.count])).toEqual([["admin", 1], ["approver", 2]]);
    expect(view.policy.requiredApprovals).toBe(3);
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("pending");
    const two = await approveRequest(w.deps, ian, { id: r.id });
    expect(two).toMatchObject({ status: "pending", missing: [{ role: "admin", count: 1 }] });
    expect((await approveRequest(w.deps, root, { id: r.id })).status).toBe("approved");
  });

  it("includeIamFixes adds the IAM team to what the items need and never lowers it", async () => {
    const admins = await w.prisma.approvalPolicy.create({ data: { name: "admins", version: 1, requiredApprovals: 2, approverRole: "admin" } });
    const r = await createRequest(w.deps, alice, { ...createInput("svc-with-fixes", "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export"), includeIamFixes: true });
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
    const reqs = row.approvalRequirements as { role: string; count: number }[];
    expect(reqs.find((q) => q.role === "admin")).toMatchObject({ count: 2 });
    expect(reqs.find((q) => q.role === "approver")?.count).toBeGreaterThanOrEqual(1);
    expect(row.policyVersionId).toBe(admins.id);
    // Both are needed: the IAM team's approval and the two admins the policy asks for (admins never stand in for the IAM team here).
    const root2 = await w.makeUser("root2", "admin");
    expect((await approveRequest(w.deps, root, { id: r.id })).status).toBe("pending");
    expect((await approveRequest(w.deps, root2, { id: r.id })).missing).toEqual([{ role: "approver", count: 1 }]);
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("approved");
  });
});

describe("hole 6: requests must stay inside the configured targets", () => {
  it("refuses an account or region that is not a target, naming the configured targets", async () => {
    const account = await refusal(createRequest(w.deps, alice, { ...createInput("svc-x"), accountId: "999988887777", region: "us-east-1" }));
    expect(account.code).toBe("invalid");
    expect(account.fields.cluster?.[0]).toContain("999988887777/us-east-1/domino-green is not a configured target");
    expect(account.fields.cluster?.[0]).toContain("111122223333/us-east-1/*");
    const region = await refusal(createRequest(w.deps, alice, { ...createInput("svc-x"), accountId: "111122223333", region: "eu-west-1" }));
    expect(region.fields.cluster?.[0]).toContain("not a configured target");
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("refuses a cluster outside a target's cluster list, and apply refuses an item whose target was removed", async () => {
    const narrow = { ...w.deps, targets: [{ accountId: "111122223333", region: "us-east-1", clusters: ["domino-blue"] }] };
    const r = await refusal(createRequest(narrow, alice, createInput("svc-x")));
    expect(r.fields.cluster?.[0]).toContain("the configured targets are 111122223333/us-east-1/domino-blue");
    const filed = await createRequest(w.deps, alice, createInput("svc-late"));
    await approveRequest(w.deps, ivy, { id: filed.id });
    await createRequestRunner({ ...narrow, backoff: { tries: 1, baseMs: 1 } }, { leaseMs: 60_000, log: () => {} }, async () => true).drain();
    expect(await status(filed.id)).toBe("failed");
    expect(await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: filed.id } })).toMatchObject({ lastErrorCode: "OutsideTargets", attempts: 0 });
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-late")).toHaveLength(0);
  });
});

describe("hole 8: approving past a failing blocking precheck needs an override with a reason", () => {
  const missingRole = "arn:aws:iam::111122223333:role/domino/does-not-exist";

  it("answers 409 (conflict) naming the failing check and records no review; the fresh results are stored with their own audit row", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-no-role", missingRole));
    const filedAt = (await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).prechecksAt!;
    await new Promise((done) => setTimeout(done, 5));
    const refused = await refusal(approveRequest(w.deps, ivy, { id: r.id }));
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain("role-exists");
    expect(await w.prisma.review.count()).toBe(0);
    expect(await status(r.id)).toBe("pending");
    // The reviewer's page shows what the refusal was based on, and the trail says who re-ran it and when.
    const stored = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
    expect(stored.prechecksAt!.getTime()).toBeGreaterThan(filedAt.getTime());
    expect(JSON.stringify(stored.prechecks)).toContain("role-exists");
    const row = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: r.id, event: "request.prechecks_refreshed" } });
    expect(row).toMatchObject({ actor: "ivy" });
    expect(row.details).toMatchObject({ prechecksAt: stored.prechecksAt!.toISOString(), during: "approve", refused: true });
  });

  it("with an override the approval is stored with its reason and audited as request.approved_with_override", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-no-role", missingRole));
    const ok = await approveRequest(w.deps, ivy, { id: r.id, override: { reason: "Role is created by the platform pipeline tonight" } });
    expect(ok.status).toBe("approved");
    expect(await w.prisma.review.findFirstOrThrow()).toMatchObject({ overrideReason: "Role is created by the platform pipeline tonight", reviewerRole: "approver" });
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "request.approved_with_override" } });
    expect(audit).toMatchObject({ actor: "ivy" });
    expect(JSON.stringify(audit.details)).toContain("role-exists");
  });

  it("a passing request needs no override; its fresh results are stored with the approval, under its audit rows", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-fine"));
    const filedAt = (await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).prechecksAt!;
    await new Promise((done) => setTimeout(done, 5));
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("approved");
    expect(await w.prisma.auditEvent.count({ where: { event: "request.approved_with_override" } })).toBe(0);
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).prechecksAt!.getTime()).toBeGreaterThan(filedAt.getTime());
    expect(await w.prisma.auditEvent.count({ where: { requestId: r.id, event: "request.prechecks_refreshed" } })).toBe(0);
  });
});

describe("issue 10 smaller holes (requests)", () => {
  it("mappingExpiresAt must be in the future and within a year", async () => {
    const past = await refusal(createRequest(w.deps, alice, { ...createInput("svc-t"), mappingExpiresAt: new Date(Date.now() - 60_000) }));
    expect(past.fields.mappingExpiresAt?.[0]).toMatch(/in the future/);
    const far = await refusal(createRequest(w.deps, alice, { ...createInput("svc-t"), mappingExpiresAt: new Date(Date.now() + 400 * 86_400_000) }));
    expect(far.fields.mappingExpiresAt?.[0]).toMatch(/within a year/);
    expect(await w.prisma.request.count()).toBe(0);
  });

  it("a failed request whose approval is older than ROLEGATE_APPROVAL_VALID_HOURS cannot be retried (409); a fresh one can", async () => {
    await ownAssociation("svc-retry");
    const d = await createRequest(w.deps, alice, { ...createInput("svc-retry"), kind: "delete", roleArn: undefined });
    await approveRequest(w.deps, ivy, { id: d.id });
    sandboxAssociations(w, "domino-green", "domino-compute", "svc-retry")[0]!.roleArn = OTHER_PI_ROLE;
    await runner(w).drain();
    expect(await status(d.id)).toBe("failed");
    const later = { ...w.deps, now: () => new Date(Date.now() + 73 * 3600_000) };
    const old = await refusal(retryRequest(later, alice, { id: d.id }));
    expect(old.code).toBe("conflict");
    expect(old.message).toContain("ROLEGATE_APPROVAL_VALID_HOURS");
    expect(await status(d.id)).toBe("failed");
    expect((await retryRequest(w.deps, alice, { id: d.id })).status).toBe("applying");
  });

  it("the node-role PutRolePolicy refuses to overwrite an inline policy that changed since filing", async () => {
    const location = { accountId: "111122223333", region: "us-east-1" };
    const name = "rolegate-pod-identity-test";
    const theirs = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const ours = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "eks-auth:AssumeRoleForPodIdentity", Resource: "*" }] });
    const item = { kind: "iam-node-role-policy", roleArn: PI_ROLE, iamPolicyName: name, iamPolicyDocument: ours, iamBaseHash: policyHash(null) } as RequestItem;
    await w.aws.iamWriter.putRolePolicy(location, PI_ROLE, name, theirs); // someone else wrote it after filing
    const refused = await applyItem({ prisma: w.prisma, aws: w.aws }, w.deps.kinds, location, item, { tries: 1, baseMs: 1 });
    expect(refused).toMatchObject({ ok: false, errorCode: "RolePolicyChanged" });
    expect(JSON.parse((await w.aws.iam.getRolePolicy(location, PI_ROLE, name))!)).toEqual(JSON.parse(theirs));
    const fresh = await applyItem({ prisma: w.prisma, aws: w.aws }, w.deps.kinds, location, { ...item, iamBaseHash: policyHash(theirs) }, { tries: 1, baseMs: 1 });
    expect(fresh).toMatchObject({ ok: true, outcome: "iam-updated" });
    expect(JSON.parse((await w.aws.iam.getRolePolicy(location, PI_ROLE, name))!)).toEqual(JSON.parse(ours));
  });

  it("/api/v1/prechecks takes at most 20 items", () => {
    const item = { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-a", roleArn: PI_ROLE };
    const ok = precheckOp.input.safeParse({ kind: "batch", justification: "twenty items to check", items: Array(20).fill(item) });
    expect(ok.success).toBe(true);
    const tooMany = precheckOp.input.safeParse({ kind: "batch", justification: "twenty-one items to check", items: Array(21).fill(item) });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error!.issues.map((i) => i.message)).toContain("at most 20 items per precheck call");
  });

  it("request bodies over 256 kB are refused with 413 before parsing", async () => {
    const big = new Request("http://x/api/v1/requests", { method: "POST", body: JSON.stringify({ justification: "x".repeat(300 * 1024) }) });
    const r = await readJsonBody(big);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.response.status).toBe(413);
      expect((await r.response.json()).error.message).toMatch(/larger than 256 kB/);
    }
    const small = await readJsonBody(new Request("http://x/", { method: "POST", body: JSON.stringify({ a: 1 }) }));
    expect(small).toEqual({ ok: true, body: { a: 1 } });
  });
});
