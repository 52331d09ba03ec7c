// Issue 11, the request page as a decision screen: the verdict, "changes requested"
// and resubmission, a reviewer adding a precheck's fix as an IAM item, item states
// after the request ends, and the context the page reads (real Postgres, sandbox over HTTP).
import { GetRoleCommand } from "@aws-sdk/client-iam";
import { describe, expect, it, vi } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { startScan } from "@/lib/inventory/scan/service";
import { addFixItem } from "@/lib/requests/add-fix-item";
import { approveRequest } from "@/lib/requests/approve-request";
import { cancelRequest } from "@/lib/requests/cancel-request";
import { verdictOf } from "@/lib/requests/check-verdict";
import { createRequest } from "@/lib/requests/create-request";
import { getRequestView } from "@/lib/requests/get-request";
import type { PrecheckResult } from "@/lib/requests/prechecks";
import { decisionContextView } from "@/lib/requests/queries";
import { rejectRequest } from "@/lib/requests/reject-request";
import { requestChanges } from "@/lib/requests/request-changes";
import { resubmitRequest } from "@/lib/requests/resubmit-request";
import { trustHash } from "@/lib/requests/trust-guard";
import { LOC, PI_ROLE } from "../support/constants";
import { createInput } from "../support/requests";
import { scanDeps } from "../support/scan";
import { useWorld } from "../support/world";

vi.mock("server-only", () => ({}));
vi.mock("@/lib/db", () => ({ getPrisma: async () => w.prisma }));

const w = useWorld({ users: ["alice", "bob", "ivy", "ian", "audrey", "root"], sandbox: true });
const { alice, bob, ivy, ian, audrey, root } = w.users;

/** Trust without sts:TagSession: trust-allows-pod-identity fails with a trust-policy fix. */
const NO_TAG_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export";
/** Trusts Pod Identity and is covered by domino-green's node role: every check passes. */
const GOOD_ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality";

const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `unexpected: ${(e as Error).message}`));
const request = (id: string) => w.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: { orderBy: { position: "asc" } } } });
const events = async (id: string) => (await w.prisma.auditEvent.findMany({ where: { requestId: id }, orderBy: { id: "asc" } })).map((e) => e.event);

describe("the verdict strip", () => {
  it("puts the failing check first and says what it means; approve is plain only when everything passes", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-verdict", NO_TAG_ROLE));
    const view = await getRequestView(w.prisma, r.id);
    const v = verdictOf(view.prechecks as unknown as PrecheckResult[], view.items);
    expect(v.allPass).toBe(false);
    expect(v.checks[0]).toMatchObject({ id: "trust-allows-pod-identity", status: "fail" });
    expect(v.headline).toMatch(/^\d+ checks pass, .*1 fails?: pods would get no credentials$/);
    const ok = await createRequest(w.deps, alice, createInput("svc-verdict-ok", GOOD_ROLE));
    const good = verdictOf(ok.prechecks, (await getRequestView(w.prisma, ok.id)).items);
    expect(good.failing).toEqual([]);
    expect(good.allPass).toBe(true);
  });

  it("an override reason given past a non-blocking failure is stored and audited (the page asks for it)", async () => {
    // PI_ROLE is not in domino-green's restricted node-role policy: node-role-allows-role fails, not blocking.
    const r = await createRequest(w.deps, alice, createInput("svc-nonblocking", PI_ROLE));
    expect(r.prechecks.find((p) => p.id === "node-role-allows-role")?.status).toBe("fail");
    await approveRequest(w.deps, ivy, { id: r.id, override: { reason: "Node role policy is widened by the platform team" } });
    expect((await w.prisma.review.findFirstOrThrow({ where: { requestId: r.id } })).overrideReason).toBe("Node role policy is widened by the platform team");
    const audit = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: r.id, event: "request.approved_with_override" } });
    expect(JSON.stringify(audit.details)).toContain("node-role-allows-role");
    // Nothing fails: a reason sent anyway is no override.
    const fine = await createRequest(w.deps, alice, createInput("svc-all-pass", GOOD_ROLE));
    await approveRequest(w.deps, ivy, { id: fine.id, override: { reason: "not needed but sent anyway" } });
    expect((await w.prisma.review.findFirstOrThrow({ where: { requestId: fine.id } })).overrideReason).toBeNull();
  });
});

describe("changes requested, amended and resubmitted", () => {
  it("a reviewer sends it back (CAS, audited); only the requester resubmits; earlier approvals are dismissed", async () => {
    await w.prisma.approvalPolicy.create({ data: { name: "two-approvers", version: 1, requiredApprovals: 2, approverRole: "approver", priority: 10 } });
    const r = await createRequest(w.deps, alice, createInput("svc-changes", GOOD_ROLE));
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("pending");
    expect(await code(requestChanges(w.deps, alice, { id: r.id, reason: "own request" }))).toBe("forbidden");
    expect(await code(requestChanges(w.deps, ivy, { id: r.id, reason: "already approved" }))).toBe("conflict");
    const before = (await request(r.id)).version;
    expect(await requestChanges(w.deps, ian, { id: r.id, reason: "Use a time-bound mapping" })).toEqual({ id: r.id, status: "changes_requested" });
    const sent = await request(r.id);
    expect(sent).toMatchObject({ status: "changes_requested", version: before + 1 });
    expect(sent.items.map((i) => i.status)).toEqual(["pending"]);
    const row = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: r.id, event: "request.changes_requested" } });
    expect(row).toMatchObject({ actor: "ian", fromState: "pending", toState: "changes_requested" });
    expect(row.details).toMatchObject({ reason: "Use a time-bound mapping" });
    // Nobody approves or asks again while it is with the requester.
    expect(await code(approveRequest(w.deps, ian, { id: r.id }))).toBe("conflict");
    expect(await code(requestChanges(w.deps, ian, { id: r.id, reason: "again" }))).toBe("conflict");
    expect(await code(resubmitRequest(w.deps, bob, { id: r.id }))).toBe("forbidden");
    expect(await code(resubmitRequest(w.deps, ivy, { id: r.id }))).toBe("forbidden");

    const prechecksBefore = sent.prechecksAt!.getTime();
    expect(await resubmitRequest(w.deps, alice, { id: r.id, justification: "Nightly job, mapping only until the migration ends" })).toEqual({ id: r.id, status: "pending" });
    const back = await request(r.id);
    expect(back).toMatchObject({ status: "pending", justification: "Nightly job, mapping only until the migration ends" });
    expect(back.prechecksAt!.getTime()).toBeGreaterThanOrEqual(prechecksBefore);
    expect(await w.prisma.review.count({ where: { requestId: r.id } })).toBe(0);
    expect(await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: r.id, event: "request.resubmitted" } })).toMatchObject({ actor: "alice", fromState: "changes_requested", toState: "pending", details: expect.objectContaining({ dismissedReviews: 1 }) });
    expect(await code(resubmitRequest(w.deps, alice, { id: r.id }))).toBe("conflict");
    // The two approvals are needed again, from anyone who did not file it.
    expect((await approveRequest(w.deps, ivy, { id: r.id })).status).toBe("pending");
    expect((await approveRequest(w.deps, ian, { id: r.id })).status).toBe("approved");
  });

  it("a request sent back can be cancelled by its requester; its items say cancelled", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-changes-cancel", GOOD_ROLE));
    await requestChanges(w.deps, ivy, { id: r.id, reason: "Wrong namespace" });
    await cancelRequest(w.deps, alice, { id: r.id });
    const done = await request(r.id);
    expect(done.status).toBe("cancelled");
    expect(done.items.map((i) => i.status)).toEqual(["cancelled"]);
  });
});

describe("a precheck's fix added to a filed request", () => {
  it("a reviewer adds the trust fix: an iam-trust-update item computed from AWS now, the IAM team required, audited; then approve needs no override", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-add-fix", NO_TAG_ROLE));
    expect(await code(approveRequest(w.deps, ivy, { id: r.id }))).toBe("conflict");
    const trust = decodeURIComponent((await w.pool.iamFor(LOC).send(new GetRoleCommand({ RoleName: "domino-pi-snowflake-export" }))).Role!.AssumeRolePolicyDocument!);
    const added = await addFixItem(w.deps, ivy, { id: r.id, check: "trust-allows-pod-identity", item: 0 });
    expect(added).toMatchObject({ id: r.id, status: "pending", kind: "iam-trust-update", position: 1 });
    const stored = await request(r.id);
    const item = stored.items.find((i) => i.kind === "iam-trust-update")!;
    expect(item).toMatchObject({ roleArn: NO_TAG_ROLE, namespace: "domino-compute", serviceAccount: "svc-add-fix", iamBaseHash: trustHash(trust), status: "pending" });
    expect(JSON.parse(item.iamPolicyDocument!).Statement.at(-1).Action).toContain("sts:TagSession");
    expect(stored.approvalRequirements).toEqual(expect.arrayContaining([expect.objectContaining({ role: "approver" })]));
    const row = await w.prisma.auditEvent.findFirstOrThrow({ where: { requestId: r.id, event: "request.item_added" } });
    expect(row).toMatchObject({ actor: "ivy", roleArn: NO_TAG_ROLE, details: expect.objectContaining({ kind: "iam-trust-update", fromCheck: "trust-allows-pod-identity" }) });
    // The page's verdict now counts the trust failure as fixed by the request.
    const view = await getRequestView(w.prisma, r.id);
    expect(verdictOf(view.prechecks as unknown as PrecheckResult[], view.items).checks.find((c) => c.id === "trust-allows-pod-identity")?.fixedByRequest).toBe(true);
    // Once is enough; the IAM team approves without an override.
    expect(await code(addFixItem(w.deps, ivy, { id: r.id, check: "trust-allows-pod-identity", item: 0 }))).toBe("conflict");
    expect((await approveRequest(w.deps, ian, { id: r.id })).status).toBe("approved");
  });

  it("the requester may add it too (also while sent back); others, passing checks and ended requests are refused and change nothing", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-add-fix-2", NO_TAG_ROLE));
    expect(await code(addFixItem(w.deps, bob, { id: r.id, check: "trust-allows-pod-identity", item: 0 }))).toBe("forbidden");
    expect(await code(addFixItem(w.deps, audrey, { id: r.id, check: "trust-allows-pod-identity", item: 0 }))).toBe("forbidden");
    const bot = await w.makeUser("deploy-bot", "approver");
    await w.prisma.user.update({ where: { id: bot.id }, data: { source: "service" } });
    expect(await code(addFixItem(w.deps, bot, { id: r.id, check: "trust-allows-pod-identity", item: 0 }))).toBe("forbidden");
    expect(await code(addFixItem(w.deps, ivy, { id: r.id, check: "role-exists", item: 0 }))).toBe("conflict");
    expect(await code(addFixItem(w.deps, ivy, { id: r.id, check: "trust-allows-pod-identity", item: 7 }))).toBe("invalid");
    expect((await request(r.id)).items).toHaveLength(1);
    await requestChanges(w.deps, ivy, { id: r.id, reason: "Add the trust fix" });
    expect((await addFixItem(w.deps, alice, { id: r.id, check: "trust-allows-pod-identity", item: 0 })).status).toBe("changes_requested");
    expect((await request(r.id)).items.map((i) => i.kind)).toEqual(["create", "iam-trust-update"]);
    const ended = await createRequest(w.deps, alice, createInput("svc-add-fix-3", NO_TAG_ROLE));
    await rejectRequest(w.deps, ivy, { id: ended.id, reason: "Wrong role" });
    expect(await code(addFixItem(w.deps, alice, { id: ended.id, check: "trust-allows-pod-identity", item: 0 }))).toBe("conflict");
    // An admin reviewer adds it; the request then needs the IAM team, so the admin may not approve it.
    const adminAdds = await createRequest(w.deps, alice, createInput("svc-add-fix-4", NO_TAG_ROLE));
    await addFixItem(w.deps, root, { id: adminAdds.id, check: "trust-allows-pod-identity", item: 0 });
    expect(await code(approveRequest(w.deps, root, { id: adminAdds.id }))).toBe("forbidden");
  });
});

describe("item states follow the request", () => {
  it("a rejected request's items say rejected, not pending", async () => {
    const r = await createRequest(w.deps, alice, { ...createInput("svc-reject-items", NO_TAG_ROLE), includeIamFixes: true });
    await rejectRequest(w.deps, ivy, { id: r.id, reason: "Use the read-only role" });
    const view = await getRequestView(w.prisma, r.id);
    expect(view.items.length).toBeGreaterThan(1);
    expect(view.items.map((i) => i.status)).toEqual(view.items.map(() => "rejected"));
  });
});

describe("the context beside the decision", () => {
  it("who else assumes the role and how, the SA's pods, the requester's last requests and each IAM item's statement diff", async () => {
    const earlier = await createRequest(w.deps, alice, createInput("svc-history", GOOD_ROLE));
    await rejectRequest(w.deps, ivy, { id: earlier.id, reason: "Not this one" });
    const r = await createRequest(w.deps, alice, { ...createInput("svc-report-builder", GOOD_ROLE) });
    const trustFix = await createRequest(w.deps, alice, { ...createInput("svc-ctx-trust", NO_TAG_ROLE), includeIamFixes: true });
    // Before any scan: no inventory part, the history still shows.
    const none = await decisionContextView(await getRequestView(w.prisma, r.id));
    expect(none.inventory).toBeNull();
    expect(none.history.map((h) => [h.id, h.status])).toContainEqual([earlier.id, "rejected"]);

    const run = await startScan({ prisma: w.prisma, scan: scanDeps(w.sandbox, w.pool) }, "manual", "test");
    await run.done;
    const ctx = await decisionContextView(await getRequestView(w.prisma, r.id));
    const role = ctx.inventory!.roles.find((x) => x.roleArn === GOOD_ROLE)!;
    expect(role.href).toBe("/roles/111122223333/domino/domino-pi-data-quality");
    expect(role.assumers).toContainEqual(expect.objectContaining({ cluster: "domino-green", namespace: "domino-compute", serviceAccount: "svc-data-quality", mechanism: "pod-identity", thisRequest: false }));
    const pods = ctx.inventory!.pods.find((p) => p.serviceAccount === "svc-report-builder")!;
    expect(pods.pods.length).toBeGreaterThanOrEqual(2);
    expect(pods.pods.every((p) => ["Pod Identity", "IRSA", "none"].includes(p.credentials))).toBe(true);
    expect(ctx.history[0]!.id).toBe(trustFix.id);
    expect(ctx.history.map((h) => h.id)).not.toContain(r.id);

    const view = await getRequestView(w.prisma, trustFix.id);
    const iam = view.items.find((i) => i.kind === "iam-trust-update")!;
    const diff = (await decisionContextView(view)).diffs[iam.id]!;
    expect(diff.currentKnown).toBe(true);
    // The fix adds the TagSession statement (or edits the Pod Identity one) and keeps the rest unchanged.
    expect(diff.added + diff.edited).toBeGreaterThan(0);
    expect(diff.removed).toBe(0);
    const changed = diff.statements.filter((s) => s.change !== "same");
    expect(JSON.stringify(changed)).toContain("sts:TagSession");
    // Pretty-printed statements, not one escaped line.
    const shown = changed[0]!;
    expect(shown.change === "edited" ? shown.lines.length : shown.json.split("\n").length).toBeGreaterThan(3);
    expect(ctx.diffs).toEqual({});
  }, 120_000);
});
