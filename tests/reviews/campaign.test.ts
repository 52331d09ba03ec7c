// An access review campaign over domino-green against the real database and the
// sandbox: every mapping gets exactly one reviewer from the namespace's owner
// group (else the IAM team), never the SA's own person nor the mapping's
// requester; unused mappings (IAM RoleLastUsed served by the sandbox, no running
// pods) are pre-marked; revoke decisions end as applied
// requests (approved by another user, applied by the job runner), a closed
// campaign refuses decisions (409) and the report lists every decision.
import { beforeEach, describe, expect, it } from "vitest";
import { TEST_AUDIT_KEY } from "../support/test-audit-key";
import { deriveAuditKey } from "@/lib/audit/key";
import { loadConfig } from "@/lib/config/load";
import { worldToSnapshot } from "../support/analysis/world-to-snapshot";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import type { Actor } from "@/lib/requests/deps";
import { closeCampaign } from "@/lib/reviews/close-campaign";
import { decideItem } from "@/lib/reviews/decide";
import type { ReviewsDeps } from "@/lib/reviews/deps";
import { campaignReport, loadCampaign } from "@/lib/reviews/read";
import { startCampaign } from "@/lib/reviews/start-campaign";
import { sweepReviewCampaigns } from "@/lib/reviews/sweep";
import { chooseReviewer, type ReviewerContext } from "@/lib/reviews/reviewers";
import { scopedMappings } from "@/lib/reviews/mappings";
import { analyzeSnapshotAsync } from "@/lib/inventory/analysis";
import { canAssume } from "@/lib/trust";

import { parseReviewOwners as ownersRecord } from "@/lib/config/reviews";
import { createInput, runner, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({
  users: [
    { login: "bob", role: "requester" }, { login: "ivy", role: "approver" }, { login: "ian", role: "approver" }, { login: "root", role: "admin" },
    { login: "jsmith", role: "requester" }, { login: "carol", role: "requester" },
  ],
  sandbox: true,
});
const { bob, ivy, ian, root, jsmith, carol } = w.users;
let deps: ReviewsDeps;
const key = deriveAuditKey(TEST_AUDIT_KEY, "test");
const parseReviewOwners = (raw: string) => new Map(Object.entries(ownersRecord(raw)));

beforeEach(async () => {
  deps = {
    ...w.deps,
    snapshot: async () => worldToSnapshot(w.sandbox.ctx.world),
    owners: parseReviewOwners("domino-compute=carol"),
    unusedDays: 90,
    auditKey: () => key,
  };
});

async function applied(id: string, approver: Actor) {
  await approveRequest(w.deps, approver, { id });
  await runner(w).drain();
  return w.prisma.request.findUniqueOrThrow({ where: { id }, include: { items: true } });
}

const due = () => new Date(Date.now() + 7 * 86_400_000);

describe("the reviewer rule", () => {
  const ctx = (owners: string): ReviewerContext => ({ owners: parseReviewOwners(owners), iamTeam: ["ian", "ivy"], users: new Set(["ian", "ivy", "bob", "carol", "jsmith"]), load: new Map() });

  it("takes the namespace's owner group, least loaded first, and skips the SA's own person and the requester", () => {
    const c = ctx("domino-compute=jsmith,bob,carol");
    expect(chooseReviewer({ namespace: "domino-compute", serviceAccount: "dmuser-jsmith" }, ["bob"], c)).toEqual({ reviewer: "carol", rule: "owner-group" });
    expect(chooseReviewer({ namespace: "domino-compute", serviceAccount: "svc-etl" }, [], c)).toEqual({ reviewer: "bob", rule: "owner-group" });
    expect(chooseReviewer({ namespace: "domino-compute", serviceAccount: "svc-etl" }, [], c)).toEqual({ reviewer: "jsmith", rule: "owner-group" });
    // Every requester is skipped, not only the last one.
    expect(chooseReviewer({ namespace: "domino-compute", serviceAccount: "svc-etl" }, ["bob", "jsmith"], ctx("domino-compute=jsmith,bob,carol"))).toEqual({ reviewer: "carol", rule: "owner-group" });
    expect(chooseReviewer({ namespace: "domino-compute", serviceAccount: "svc-etl" }, ["bob", "carol"], ctx("domino-compute=bob,carol"))).toEqual({ reviewer: "ian", rule: "iam-team" });
  });

  it("falls to the IAM team when the group has nobody else, or the namespace has no group; unknown logins never review", () => {
    const c = ctx("domino-compute=jsmith,ghost");
    expect(chooseReviewer({ namespace: "domino-compute", serviceAccount: "dmuser-jsmith" }, [], c)).toEqual({ reviewer: "ian", rule: "iam-team" });
    expect(chooseReviewer({ namespace: "kube-system", serviceAccount: "aws-node" }, ["ian"], c)).toEqual({ reviewer: "ivy", rule: "iam-team" });
    expect(() => chooseReviewer({ namespace: "kube-system", serviceAccount: "dmuser-ian" }, ["ivy"], c)).toThrow(/No reviewer/);
  });

  it("refuses a malformed ROLEGATE_REVIEW_OWNERS or ROLEGATE_REVIEW_UNUSED_DAYS at start-up, naming the setting", () => {
    expect(() => parseReviewOwners("domino-compute")).toThrow(/ROLEGATE_REVIEW_OWNERS.*namespace=login/);
    expect(() => loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_REVIEW_UNUSED_DAYS: "soon" })).toThrow(/ROLEGATE_REVIEW_UNUSED_DAYS/);
    expect(loadConfig({ ROLEGATE_MODE: "sandbox", ROLEGATE_REVIEW_OWNERS: "domino-compute=carol" }).reviews).toEqual({ owners: { "domino-compute": ["carol"] }, unusedDays: 90 });
    expect(() => parseReviewOwners("Bad_NS=alice")).toThrow(/namespace=login/);
    expect(() => parseReviewOwners("a=x;a=y")).toThrow(/listed twice/);
    expect(ownersRecord(" a=x, y ; b=z ")).toEqual({ a: ["x", "y"], b: ["z"] });
  });
});

describe("access review campaign over domino-green", () => {
  it("assigns exactly one reviewer per mapping, never the SA's own person nor its requester, and pre-marks unused mappings", async () => {
    // Owner group of domino-compute: bob, jsmith and carol. bob requested svc-review-bob, jsmith his own SA.
    deps = { ...deps, owners: parseReviewOwners("domino-compute=bob,jsmith,carol") };
    const mine = await createRequest(w.deps, bob, createInput("svc-review-bob"));
    await applied(mine.id, ivy);
    const own = await createRequest(w.deps, jsmith, createInput("dmuser-jsmith", "arn:aws:iam::111122223333:role/domino/domino-pi-data-quality"));
    await applied(own.id, ivy);

    const scope = { clusters: ["domino-green"] };
    const { id } = await startCampaign(deps, root, { name: "Q4 green", scope, dueAt: due() });
    const c = await loadCampaign(w.prisma, id);
    const snapshot = worldToSnapshot(w.sandbox.ctx.world);
    const green = snapshot.clusters.find((x) => x.name === "domino-green")!;
    expect(c.items.filter((i) => i.mechanism === "pod-identity").length).toBe(green.associations.length);
    expect(c.items.some((i) => i.mechanism === "irsa")).toBe(true);
    expect(c.items.every((i) => i.cluster === "domino-green")).toBe(true);
    // Every mapping in scope (the analysis of the same scan) has exactly one item, and each item exactly one reviewer.
    const key = (m: { mechanism: string; cluster: string; namespace: string; serviceAccount: string; roleArn: string }) => `${m.mechanism} ${m.cluster}/${m.namespace}/${m.serviceAccount} ${m.roleArn}`;
    const inScope = scopedMappings(snapshot, await analyzeSnapshotAsync(snapshot), scope).map(key);
    expect(new Set(inScope).size).toBe(inScope.length);
    expect(c.items.map(key).sort()).toEqual([...inScope].sort());
    const logins = new Set(Object.values(w.users).map((u) => u.login));
    for (const i of c.items) expect(logins.has(i.reviewer), `${key(i)} reviewed by ${i.reviewer}`).toBe(true);
    expect(c.progress.byReviewer.reduce((n, p) => n + p.total, 0)).toBe(c.items.length);
    // How each IRSA edge gets in is stored with the item (the wildcard role's edges say so); Pod Identity items have none.
    expect(c.items.filter((i) => i.mechanism === "pod-identity").every((i) => i.via === null)).toBe(true);
    expect(c.items.filter((i) => i.mechanism === "irsa").every((i) => ["exact", "wildcard", "any-sa", "evaluated"].includes(i.via ?? ""))).toBe(true);
    expect(c.items.find((i) => i.roleArn.endsWith("/domino-irsa-compute-wildcard") && i.serviceAccount === "dmuser-akim")?.via).toBe("wildcard");
    // Exactly one reviewer each: never the person the SA belongs to, never the mapping's requester.
    for (const i of c.items) {
      expect(i.reviewer).toMatch(/^\w+$/);
      expect(i.reviewer).not.toBe(/^dmuser-(.+)$/.exec(i.serviceAccount)?.[1]);
      expect(i.evidence.requesters).not.toContain(i.reviewer);
      expect(i.reviewerRule).toBe(i.namespace === "domino-compute" ? "owner-group" : "iam-team");
    }
    const bobs = c.items.find((i) => i.serviceAccount === "svc-review-bob")!;
    expect(["jsmith", "carol"]).toContain(bobs.reviewer);
    expect(bobs.evidence).toMatchObject({ approvedBy: ["ivy"], requestedBy: "bob", requestId: mine.id });
    const jsmiths = c.items.find((i) => i.serviceAccount === "dmuser-jsmith" && i.mechanism === "pod-identity")!;
    expect(["bob", "carol"]).toContain(jsmiths.reviewer);
    // Outside the owner group's namespace the IAM team reviews.
    const infra = c.items.find((i) => i.namespace !== "domino-compute")!;
    expect(["ivy", "ian"]).toContain(infra.reviewer);

    // Evidence from IAM's RoleLastUsed: never-used role with no pods is pre-marked, a recently used one is not.
    const never = c.items.find((i) => i.roleArn.endsWith("/domino-pi-unmapped"))!;
    expect(never.evidence.roleLastUsed).toBeNull();
    expect(never.evidence.runningPods).toEqual([]);
    expect(never.suggestion).toBe("revoke");
    // A role used a day ago (the seeded default) with no running pod: only RoleLastUsed keeps it from being pre-marked.
    const recent = c.items.find((i) => i.roleArn.endsWith("/domino-irsa-athena-query") && i.serviceAccount === "dmuser-fharris");
    expect(recent, "the fixture has a recently used mapping without running pods").toBeDefined();
    expect(recent!.evidence.runningPods).toEqual([]);
    expect(Date.now() - new Date(recent!.evidence.roleLastUsed!).getTime()).toBeLessThan(90 * 86_400_000);
    expect(recent!.suggestion).toBeNull();
    for (const i of c.items.filter((x) => x.suggestion === "revoke")) {
      expect(i.evidence.runningPods).toEqual([]);
      const used = i.evidence.roleLastUsed;
      expect(used === null || Date.now() - new Date(used).getTime() > 90 * 86_400_000).toBe(true);
    }
    expect(await w.prisma.auditEvent.count({ where: { event: "review.campaign_started" } })).toBe(1);
  }, 120_000);

  it("revoke decisions end as applied requests, a closed campaign refuses decisions, and the report lists every decision", async () => {
    const mine = await createRequest(w.deps, bob, createInput("svc-review-bob"));
    await applied(mine.id, ivy);
    const { id } = await startCampaign(deps, root, { name: "Q4 green", scope: { clusters: ["domino-green"], namespaces: ["domino-compute"] }, dueAt: due() });
    let c = await loadCampaign(w.prisma, id);
    expect(c.items.every((i) => i.reviewer === "carol")).toBe(true);
    const bobs = c.items.find((i) => i.serviceAccount === "svc-review-bob")!;

    // Only the assigned reviewer decides (not the requester, not an approver); the decision and its audit row commit with the request.
    await expect(decideItem(deps, bob, { id, itemId: bobs.id, decision: "keep", comment: "my own job" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideItem(deps, ivy, { id, itemId: bobs.id, decision: "keep", comment: "not mine" })).rejects.toMatchObject({ code: "forbidden" });
    const r = await decideItem(deps, carol, { id, itemId: bobs.id, decision: "revoke", comment: "job retired" });
    expect(r.requestId).toBeTruthy();
    expect(await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "review.item_decided" } })).toMatchObject({ actor: "carol", requestId: r.requestId, toState: "revoke" });
    await expect(decideItem(deps, carol, { id, itemId: bobs.id, decision: "keep", comment: "changed my mind" })).rejects.toMatchObject({ code: "conflict" });
    // The normal approval gate: the request waits for an approver.
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.requestId! } })).status).toBe("pending");
    const done = await applied(r.requestId!, ian);
    expect(done.status).toBe("applied");
    expect(done.items.find((i) => i.kind === "delete")).toMatchObject({ status: "applied" });
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-review-bob")).toHaveLength(0);

    // IRSA revoke: an iam-trust-update item removing exactly that SA's subject.
    const before = w.sandbox.ctx.world.accounts["111122223333"]!.roles["domino-irsa-athena-query"]!.assumeRolePolicyDocument;
    expect(before.split("dmuser-ebrown").length - 1).toBe(2);
    const irsa = c.items.find((i) => i.mechanism === "irsa" && i.roleArn.endsWith("/domino-irsa-athena-query") && i.serviceAccount === "dmuser-ebrown")!;
    const ir = await decideItem(deps, carol, { id, itemId: irsa.id, decision: "revoke", comment: "unused" });
    const irDone = await applied(ir.requestId!, ivy);
    expect(irDone.status).toBe("applied");
    expect(irDone.items[0]).toMatchObject({ kind: "iam-trust-update", status: "applied" });
    // Only Green's statement loses the subject: Blue's issuer (another cluster) and the other SA keep theirs.
    const trust = w.sandbox.ctx.world.accounts["111122223333"]!.roles["domino-irsa-athena-query"]!.assumeRolePolicyDocument;
    expect(trust.split("dmuser-ebrown").length - 1).toBe(1);
    expect(trust.split("dmuser-fharris").length - 1).toBe(2);

    // Reminders and escalation through the sweep: overdue at the due date, notices queued.
    await sweepReviewCampaigns({ prisma: w.prisma, now: () => new Date(Date.now() + 8 * 86_400_000) });
    expect((await w.prisma.reviewCampaign.findUniqueOrThrow({ where: { id } })).status).toBe("overdue");
    expect(await w.prisma.job.count({ where: { queue: "notify", payload: { path: ["event"], equals: "review.overdue" } } })).toBe(1);

    const closed = await closeCampaign({ prisma: w.prisma, auditKey: () => key }, root, id);
    expect(closed.checkpoint.hash).toMatch(/^[0-9a-f]{64}$/);
    const pending = (await loadCampaign(w.prisma, id)).items.find((i) => !i.decision)!;
    await expect(decideItem(deps, carol, { id, itemId: pending.id, decision: "keep", comment: "still needed" })).rejects.toMatchObject({ code: "conflict" });

    c = await loadCampaign(w.prisma, id);
    const report = await campaignReport(w.prisma, id);
    expect(report.json.decisions).toHaveLength(c.items.length);
    expect(report.json.campaign.final).toBe(true);
    expect(report.json.checkpoint).toMatchObject({ hash: closed.checkpoint.hash });
    const revoked = report.json.decisions.filter((d) => d.decision === "revoke");
    expect(revoked.map((d) => d.resultRequestStatus)).toEqual(["applied", "applied"]);
    expect(report.csv.split("\n").filter((l) => l && !l.startsWith("#")).length).toBe(c.items.length + 1);
    expect(await w.prisma.auditEvent.count({ where: { event: "review.item_decided" } })).toBe(2);
  }, 180_000);

  it("no requester of a mapping reviews it: two requesters are both skipped at start, and one who requests it mid-campaign may no longer decide", async () => {
    deps = { ...deps, owners: parseReviewOwners("domino-compute=bob,jsmith,carol") };
    // bob created the mapping, jsmith updated it later: the last request is jsmith's, bob requested it too.
    const first = await createRequest(w.deps, bob, createInput("svc-review-two"));
    await applied(first.id, ivy);
    const second = await createRequest(w.deps, jsmith, { ...createInput("svc-review-two"), kind: "update", tags: { team: "ml" } });
    expect((await applied(second.id, ivy)).status).toBe("applied");
    const scope = { clusters: ["domino-green"], namespaces: ["domino-compute"], mechanism: "pod-identity" as const };
    const { id } = await startCampaign(deps, root, { name: "two requesters", scope, dueAt: due() });
    const item = (await loadCampaign(w.prisma, id)).items.find((i) => i.serviceAccount === "svc-review-two")!;
    expect(item.evidence).toMatchObject({ requestedBy: "jsmith", requesters: ["bob", "jsmith"], requestId: second.id });
    expect(item.reviewer).toBe("carol");
    await expect(decideItem(deps, bob, { id, itemId: item.id, decision: "keep", comment: "my job" })).rejects.toMatchObject({ code: "forbidden" });

    // carol, the reviewer, files a change of that mapping herself mid-campaign: from then on she may not decide it.
    const hers = await createRequest(w.deps, carol, { ...createInput("svc-review-two"), kind: "update", tags: { team: "ops" } });
    expect((await applied(hers.id, ian)).status).toBe("applied");
    await expect(decideItem(deps, carol, { id, itemId: item.id, decision: "keep", comment: "still needed" })).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/you requested/) });
    expect((await w.prisma.reviewItem.findUniqueOrThrow({ where: { id: item.id } })).decision).toBeNull();
    // Any other item of hers she still decides.
    const other = (await loadCampaign(w.prisma, id)).items.find((i) => i.reviewer === "carol" && i.id !== item.id)!;
    expect((await decideItem(deps, carol, { id, itemId: other.id, decision: "keep", comment: "still needed" })).decision).toBe("keep");
  }, 120_000);

  it("revoking a wildcard IRSA edge files the tightened trust through the approval gate: once applied the SA no longer matches, the SAs that use the role still do", async () => {
    const { id } = await startCampaign(deps, root, { name: "wildcards", scope: { clusters: ["domino-green"], namespaces: ["domino-compute"], mechanism: "irsa" }, dueAt: due() });
    const c = await loadCampaign(w.prisma, id);
    const itemOf = (sa: string, role: string) => c.items.find((i) => i.serviceAccount === sa && i.roleArn.endsWith(`/${role}`))!;
    const world = w.sandbox.ctx.world;
    const trustOf = (role: string) => world.accounts["111122223333"]!.roles[role]!.assumeRolePolicyDocument;
    const issuer = (cluster: string) => world.accounts["111122223333"]!.regions["us-east-1"]!.clusters[cluster]!.oidcIssuer;
    const allowed = (trust: string, cluster: string, sa: string) => canAssume(trust, { mechanism: "irsa", issuer: issuer(cluster), namespace: "domino-compute", serviceAccount: sa, providerAccount: "111122223333" }).allowed;

    // svc-batch-0? on Green lets in svc-batch-01 and svc-batch-02, both annotated with the role.
    const batch = itemOf("svc-batch-01", "domino-irsa-batch-pattern");
    expect(batch.via).toBe("wildcard");
    const r = await decideItem(deps, carol, { id, itemId: batch.id, decision: "revoke", comment: "batch 01 retired" });
    const filed = await w.prisma.request.findUniqueOrThrow({ where: { id: r.requestId! }, include: { items: true } });
    expect(filed).toMatchObject({ status: "pending", kind: "batch" });
    expect(filed.items.map((i) => i.kind)).toEqual(["iam-trust-update"]);
    expect(filed.prechecks).toEqual([expect.objectContaining({ id: "irsa-revocation-impact", status: "pass", message: expect.stringMatching(/statement \d+ \(system:serviceaccount:domino-compute:svc-batch-0\?\) now names 1 subject/) })]);
    expect(await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "review.item_decided" } })).toMatchObject({ actor: "carol", requestId: r.requestId, toState: "revoke" });
    expect((await applied(r.requestId!, ivy)).status).toBe("applied");
    let trust = trustOf("domino-irsa-batch-pattern");
    expect(allowed(trust, "domino-green", "svc-batch-01")).toBe(false);
    expect(allowed(trust, "domino-green", "svc-batch-02")).toBe(true);
    // Blue's statement (another issuer) is untouched; a future svc-batch-03 on Green no longer matches.
    expect(allowed(trust, "domino-blue", "svc-batch-01")).toBe(true);
    expect(allowed(trust, "domino-green", "svc-batch-03")).toBe(false);

    // domino-compute:* on Green: only dmuser-swilliams references the role; the SAs that merely matched lose it (warned).
    const akim = itemOf("dmuser-akim", "domino-irsa-compute-wildcard");
    expect(akim.via).toBe("wildcard");
    const ra = await decideItem(deps, carol, { id, itemId: akim.id, decision: "revoke", comment: "never used the scratch bucket" });
    const warned = await w.prisma.request.findUniqueOrThrow({ where: { id: ra.requestId! } });
    expect(warned.prechecks).toEqual([expect.objectContaining({ status: "warn", message: expect.stringContaining("domino-compute/dmuser-jsmith") })]);
    expect((await applied(ra.requestId!, ian)).status).toBe("applied");
    trust = trustOf("domino-irsa-compute-wildcard");
    expect(allowed(trust, "domino-green", "dmuser-akim")).toBe(false);
    expect(allowed(trust, "domino-green", "dmuser-swilliams")).toBe(true);
    expect(allowed(trust, "domino-green", "dmuser-jsmith")).toBe(false);

    // swilliams is now the trust's one subject: revoking it would leave no statement. 409 with what to do; nothing recorded.
    const last = itemOf("dmuser-swilliams", "domino-irsa-compute-wildcard");
    await expect(decideItem(deps, carol, { id, itemId: last.id, decision: "revoke", comment: "retire the role" })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/no statement: deleting the role is a separate, explicit request/) });
    // An edge the tightening already removed: nothing left to revoke (409), nothing recorded.
    const gone = itemOf("dmuser-jsmith", "domino-irsa-compute-wildcard");
    await expect(decideItem(deps, carol, { id, itemId: gone.id, decision: "revoke", comment: "unused" })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/nothing to revoke/) });
    expect((await w.prisma.reviewItem.findMany({ where: { id: { in: [last.id, gone.id] } } })).map((i) => i.decision)).toEqual([null, null]);
    expect(await w.prisma.auditEvent.count({ where: { event: "review.item_decided" } })).toBe(2);
  }, 180_000);

  it("the sweep reminds each reviewer with undecided items once a day, then escalates at the due date", async () => {
    deps = { ...deps, owners: parseReviewOwners("domino-compute=carol,bob") };
    const { id } = await startCampaign(deps, root, { name: "Q4 green", scope: { clusters: ["domino-green"] }, dueAt: due() });
    const reviewers = new Set((await loadCampaign(w.prisma, id)).items.map((i) => i.reviewer));
    const hours = (h: number) => () => new Date(Date.now() + h * 3600_000);
    expect(await sweepReviewCampaigns({ prisma: w.prisma, now: hours(2) })).toEqual({ reminded: [], escalated: [] });
    expect(await sweepReviewCampaigns({ prisma: w.prisma, now: hours(25) })).toEqual({ reminded: [id], escalated: [] });
    expect(await sweepReviewCampaigns({ prisma: w.prisma, now: hours(30) })).toEqual({ reminded: [], escalated: [] });
    const reminders = await w.prisma.job.findMany({ where: { queue: "notify", payload: { path: ["event"], equals: "review.reminder" } } });
    expect(reminders.map((j) => /^@(\w+):/.exec(String((j.payload as { text: string }).text))?.[1]).sort()).toEqual([...reviewers].sort());
    expect(await w.prisma.auditEvent.count({ where: { event: "review.reminders_sent" } })).toBe(1);
    expect(await sweepReviewCampaigns({ prisma: w.prisma, now: hours(8 * 24) })).toEqual({ reminded: [], escalated: [id] });
    expect(await w.prisma.auditEvent.count({ where: { event: "review.campaign_overdue", actor: "rolegate" } })).toBe(1);
  }, 120_000);

  it("a revoke whose request cannot be filed records no decision (one transaction)", async () => {
    const { id } = await startCampaign(deps, root, { name: "Q4 green", scope: { clusters: ["domino-green"], namespaces: ["domino-compute"], mechanism: "pod-identity" }, dueAt: due() });
    const item = (await loadCampaign(w.prisma, id)).items[0]!;
    // The association is deleted outside RoleGate after the campaign started: the delete request is refused.
    const cl = w.sandbox.ctx.world.accounts["111122223333"]!.regions["us-east-1"]!.clusters["domino-green"]!;
    for (const [k, a] of Object.entries(cl.associations)) if (a.namespace === item.namespace && a.serviceAccount === item.serviceAccount) delete cl.associations[k];
    await expect(decideItem(deps, carol, { id, itemId: item.id, decision: "revoke", comment: "gone" })).rejects.toMatchObject({ code: expect.stringMatching(/invalid|not_found|conflict/) });
    expect((await w.prisma.reviewItem.findUniqueOrThrow({ where: { id: item.id } })).decision).toBeNull();
    expect(await w.prisma.auditEvent.count({ where: { event: "review.item_decided" } })).toBe(0);
    expect(await w.prisma.request.count()).toBe(0);
  }, 120_000);
});
