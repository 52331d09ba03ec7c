// Approval policies: versioned edits (audited, older versions deactivated),
// requests keeping their pinned version, and which policy a request gets.
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { can, ROLES } from "@/lib/auth/permissions";
import { verifyAuditChain } from "@/lib/audit/verify";
import { approveRequest } from "@/lib/requests/approve-request";
import { approvalPolicyInput, createApprovalPolicyVersion, listApprovalPolicies } from "@/lib/requests/approval-policies";
import { createRequest } from "@/lib/requests/create-request";
import { choosePolicy, policySpecificity } from "@/lib/requests/policies";
import { LOC, OTHER_PI_ROLE, PI_ROLE, TARGETS } from "../support/constants";
import { createInput } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy", "ian", "root"], sandbox: true });
const { alice, ivy, ian, root } = w.users;

const base = { previousVersion: 0, requiredApprovals: 1, approverRole: "approver" as "approver" | "admin", accountPattern: "*", regionPattern: "*", clusterPattern: "*", namespacePattern: "*", rolePattern: "*", active: true };
const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `unexpected: ${(e as Error).message}`));
const policy = (name: string, patch: Partial<typeof base> = {}) => createApprovalPolicyVersion(w.prisma, root, { ...base, name, ...patch });

describe("approval policy versions", () => {
  it("a new version deactivates the previous one and is audited in the same transaction", async () => {
    const v1 = await policy("prod", { clusterPattern: "domino-*" });
    const v2 = await policy("prod", { previousVersion: 1, clusterPattern: "domino-*", requiredApprovals: 2, approverRole: "admin" });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const rows = await w.prisma.approvalPolicy.findMany({ where: { name: "prod" }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.active, r.requiredApprovals, r.approverRole, r.createdBy])).toEqual([
      [1, false, 1, "approver", "root"],
      [2, true, 2, "admin", "root"],
    ]);
    const audit = await w.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.event, a.actor, a.subject])).toEqual([
      ["approval_policy.created", "root", "approval_policy:prod@1"],
      ["approval_policy.created", "root", "approval_policy:prod@2"],
    ]);
    expect(audit[1]!.details).toMatchObject({ version: 2, previousVersion: 1, deactivatedRows: 1, requiredApprovals: 2, clusterPattern: "domino-*" });
    expect((await verifyAuditChain(w.prisma)).valid).toBe(true);
    const listed = (await listApprovalPolicies(w.prisma)).policies;
    expect(listed.map((p) => [p.name, p.versions.map((v) => `v${v.version}${v.active ? "*" : ""}`)])).toEqual([["prod", ["v2*", "v1"]]]);
  });

  it("the list is capped: at most N policies (by name) with their newest M versions, saying how many there are", async () => {
    for (const name of ["a-one", "b-two", "c-three"]) await policy(name);
    for (let v = 1; v < 4; v++) await policy("a-one", { previousVersion: v, requiredApprovals: v + 1 });
    const capped = await listApprovalPolicies(w.prisma, { policies: 2, versions: 2 });
    expect(capped).toMatchObject({ total: 3, truncated: true });
    expect(capped.policies.map((p) => [p.name, p.latest.version, p.versions.map((v) => v.version), p.versionsTotal, p.versionsTruncated])).toEqual([
      ["a-one", 4, [4, 3], 4, true],
      ["b-two", 1, [1], 1, false],
    ]);
    expect(capped.policies[0]!.latest).toMatchObject({ active: true, requiredApprovals: 4 });
    expect(await listApprovalPolicies(w.prisma)).toMatchObject({ total: 3, truncated: false });
  });

  it("an inactive new version switches the policy off: no version of it matches any more", async () => {
    await policy("two-eyes", { requiredApprovals: 2 });
    await policy("two-eyes", { previousVersion: 1, requiredApprovals: 2, active: false });
    expect(await w.prisma.approvalPolicy.count({ where: { name: "two-eyes", active: true } })).toBe(0);
    expect((await choosePolicy(w.prisma, [{ ...LOC, cluster: "domino-green", namespace: "domino-compute", roleArn: PI_ROLE }])).requiredApprovals).toBe(1);
  });

  it("a stale editor or a taken name is a conflict and changes nothing", async () => {
    await policy("prod");
    await policy("prod", { previousVersion: 1, requiredApprovals: 2 });
    expect(await code(policy("prod", { previousVersion: 1, requiredApprovals: 3 }))).toBe("conflict");
    expect(await code(policy("prod"))).toBe("conflict");
    const rows = await w.prisma.approvalPolicy.findMany({ where: { name: "prod" }, orderBy: { version: "asc" } });
    expect(rows.map((r) => [r.version, r.active])).toEqual([[1, false], [2, true]]);
    expect(await w.prisma.auditEvent.count()).toBe(2);
  });

  it("validates names, approvals and patterns", () => {
    const bad = (patch: Record<string, unknown>) => {
      const r = approvalPolicyInput.safeParse({ ...base, name: "ok", ...patch });
      return r.success ? "valid" : [...new Set(r.error.issues.map((i) => i.path.join(".")))].join(",");
    };
    expect(bad({})).toBe("valid");
    expect(bad({ clusterPattern: "prod-*", namespacePattern: "team-?", rolePattern: "arn:aws:iam::111122223333:role/team-a/*" })).toBe("valid");
    expect(bad({ requiredApprovals: 0 })).toBe("requiredApprovals");
    expect(bad({ requiredApprovals: 6 })).toBe("requiredApprovals");
    expect(bad({ approverRole: "requester" })).toBe("approverRole");
    expect(bad({ name: "Prod Policy" })).toBe("name");
    expect(bad({ name: "x".repeat(49) })).toBe("name");
    expect(bad({ clusterPattern: "" })).toBe("clusterPattern");
    expect(bad({ clusterPattern: "prod/*" })).toBe("clusterPattern");
    expect(bad({ clusterPattern: "p".repeat(101) })).toBe("clusterPattern");
    expect(bad({ namespacePattern: "Team-A" })).toBe("namespacePattern");
    expect(bad({ namespacePattern: "team a" })).toBe("namespacePattern");
    expect(bad({ rolePattern: "role/team-a/*" })).toBe("rolePattern");
    expect(bad({ rolePattern: "arn:aws:iam::1:role/$(whoami)" })).toBe("rolePattern");
    expect(bad({ rolePattern: `arn:${"a".repeat(260)}` })).toBe("rolePattern");
    expect(bad({ priority: 100 })).not.toBe("valid");
    expect(bad({ accountPattern: "111122223333", regionPattern: "eu-*" })).toBe("valid");
    expect(bad({ accountPattern: "1111*", regionPattern: "us-?est-2" })).toBe("valid");
    expect(bad({ accountPattern: "" })).toBe("accountPattern");
    expect(bad({ accountPattern: "prod" })).toBe("accountPattern");
    expect(bad({ accountPattern: "1".repeat(33) })).toBe("accountPattern");
    expect(bad({ regionPattern: "EU-West-1" })).toBe("regionPattern");
    expect(bad({ regionPattern: "eu west" })).toBe("regionPattern");
    // Absent: every account and region (older clients send neither).
    const { accountPattern: _a, regionPattern: _r, ...without } = base;
    expect(approvalPolicyInput.parse({ ...without, name: "ok" })).toMatchObject({ accountPattern: "*", regionPattern: "*" });
  });

  it("only admins hold policies:manage", () => {
    expect(ROLES.filter((r) => can(r, "policies:manage"))).toEqual(["admin"]);
  });
});

describe("pinned versions", () => {
  it("an existing request keeps the version it was filed under; new requests get the new one", async () => {
    const v1 = await policy("default", { requiredApprovals: 1 });
    const old = await createRequest(w.deps, alice, createInput("svc-pinned-old"));
    const v2 = await policy("default", { previousVersion: 1, requiredApprovals: 2 });
    const fresh = await createRequest(w.deps, alice, createInput("svc-pinned-new", OTHER_PI_ROLE));

    const rows = await w.prisma.request.findMany({ where: { id: { in: [old.id, fresh.id] } } });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[old.id]).toMatchObject({ policyVersionId: v1.id, requiredApprovals: 1 });
    expect(byId[fresh.id]).toMatchObject({ policyVersionId: v2.id, requiredApprovals: 2 });

    expect((await approveRequest(w.deps, ivy, { id: old.id })).status).toBe("approved");
    expect((await approveRequest(w.deps, ivy, { id: fresh.id })).status).toBe("pending");
    expect((await approveRequest(w.deps, ian, { id: fresh.id })).status).toBe("approved");
  });
});

describe("choosing a policy", () => {
  const green = { ...LOC, cluster: "domino-green", namespace: "domino-compute", roleArn: PI_ROLE };

  it("matches on cluster, namespace and role patterns; without a match the built-in policy applies", async () => {
    await policy("blue-only", { clusterPattern: "domino-blue", requiredApprovals: 2 });
    await policy("other-ns", { namespacePattern: "team-*", requiredApprovals: 3 });
    await policy("other-role", { rolePattern: "arn:aws:iam::111122223333:role/admin/*", requiredApprovals: 4 });
    expect(await choosePolicy(w.prisma, [green])).toMatchObject({ policyVersionId: null, requiredApprovals: 1, approverRole: "approver" });
    expect((await choosePolicy(w.prisma, [{ ...green, cluster: "domino-blue" }])).requiredApprovals).toBe(2);
    expect((await choosePolicy(w.prisma, [{ ...green, namespace: "team-a" }])).requiredApprovals).toBe(3);
    expect((await choosePolicy(w.prisma, [{ ...green, roleArn: "arn:aws:iam::111122223333:role/admin/x" }])).requiredApprovals).toBe(4);
    // Each item of a batch is matched on its own and the largest need wins (issue 10 hole 2: was "every item must match" -> 1).
    expect((await choosePolicy(w.prisma, [{ ...green, cluster: "domino-blue" }, green])).requiredApprovals).toBe(2);
  });

  it("picks the most specific matching active policy, whatever the creation order", async () => {
    const everything = await policy("everything", { requiredApprovals: 1 });
    const exactNs = await policy("compute-on-green", { clusterPattern: "domino-green", namespacePattern: "domino-compute", requiredApprovals: 4, approverRole: "admin" });
    const domino = await policy("domino-clusters", { clusterPattern: "domino-*", requiredApprovals: 2 });
    const green1 = await policy("green", { clusterPattern: "domino-green", requiredApprovals: 3 });

    expect(await choosePolicy(w.prisma, [green])).toMatchObject({ policyVersionId: exactNs.id, requiredApprovals: 4, approverRole: "admin" });
    expect((await choosePolicy(w.prisma, [{ ...green, namespace: "other" }])).policyVersionId).toBe(green1.id);
    expect((await choosePolicy(w.prisma, [{ ...green, cluster: "domino-blue" }])).policyVersionId).toBe(domino.id);
    expect((await choosePolicy(w.prisma, [{ ...green, cluster: "elsewhere" }])).policyVersionId).toBe(everything.id);

    // The most specific policy switched off: the next most specific takes over; its old version never matches.
    await policy("compute-on-green", { previousVersion: 1, clusterPattern: "domino-green", namespacePattern: "domino-compute", requiredApprovals: 4, active: false });
    expect((await choosePolicy(w.prisma, [green])).policyVersionId).toBe(green1.id);
  });

  it("orders specificity by exact patterns, then literal characters, then fewer wildcards", () => {
    const s = (clusterPattern: string, namespacePattern = "*", rolePattern = "*", accountPattern = "*", regionPattern = "*") =>
      policySpecificity({ accountPattern, regionPattern, clusterPattern, namespacePattern, rolePattern });
    expect(s("prod")).toEqual([1, 4, -4]);
    expect(s("*")).toEqual([0, 0, -5]);
    expect(s("prod-*")).toEqual([0, 5, -5]);
    expect(s("prod-*", "team-*")).toEqual([0, 10, -5]);
    // The account and region count like the other patterns.
    expect(s("prod", "*", "*", "111122223333")).toEqual([2, 16, -3]);
    expect(s("prod", "*", "*", "*", "eu-*")[1]).toBeGreaterThan(s("prod")[1]);
    expect(s("prod-eu-1", "*", "*")[0]).toBeGreaterThan(s("prod-eu-*", "team-a-*", "arn:aws:iam::111122223333:role/*")[0]);
  });

  it("a higher priority still beats specificity (priority is kept from the previous version)", async () => {
    const broad = await w.prisma.approvalPolicy.create({ data: { name: "broad", version: 1, requiredApprovals: 5, priority: 10 } });
    await policy("green", { clusterPattern: "domino-green", requiredApprovals: 2 });
    expect((await choosePolicy(w.prisma, [green])).policyVersionId).toBe(broad.id);
    const v2 = await policy("broad", { previousVersion: 1, requiredApprovals: 3 });
    expect(v2.priority).toBe(10);
    expect((await choosePolicy(w.prisma, [green])).policyVersionId).toBe(v2.id);
  });
});

describe("account and region patterns (issue 10 hole 2)", () => {
  const X = "111122223333";
  const Y = "999988887777";
  const item = (accountId: string, region = "us-east-1") => ({ accountId, region, cluster: "domino-green", namespace: "domino-compute", roleArn: PI_ROLE });

  it("a policy for account X needing 2 approvals applies to an item in X and not to one in Y; a batch of both needs 2", async () => {
    const x = await policy("account-x", { accountPattern: X, requiredApprovals: 2 });
    expect(await choosePolicy(w.prisma, [item(X)])).toMatchObject({ policyVersionId: x.id, requiredApprovals: 2 });
    expect(await choosePolicy(w.prisma, [item(Y)])).toMatchObject({ policyVersionId: null, requiredApprovals: 1 });
    expect(await choosePolicy(w.prisma, [item(Y), item(X)])).toMatchObject({ policyVersionId: x.id, requiredApprovals: 2 });
  });

  it("a region pattern matches the item's region; the more specific account+cluster policy beats the cluster-only one", async () => {
    const west = await policy("west", { regionPattern: "us-west-*", requiredApprovals: 3 });
    expect((await choosePolicy(w.prisma, [item(X, "us-west-2")])).policyVersionId).toBe(west.id);
    expect((await choosePolicy(w.prisma, [item(X, "us-east-1")])).policyVersionId).toBeNull();
    const cluster = await policy("green", { clusterPattern: "domino-green", requiredApprovals: 2 });
    const both = await policy("green-in-x", { accountPattern: X, clusterPattern: "domino-green", requiredApprovals: 1 });
    expect((await choosePolicy(w.prisma, [item(X)])).policyVersionId).toBe(both.id);
    expect((await choosePolicy(w.prisma, [item(Y)])).policyVersionId).toBe(cluster.id);
  });

  it("a filed request is matched where its items live: the account policy counts, another account's does not, and a batch across regions needs the union", async () => {
    const x = await policy("prod-account", { accountPattern: X, requiredApprovals: 2 });
    await policy("other-account", { accountPattern: Y, requiredApprovals: 4 });
    const one = await createRequest(w.deps, alice, createInput("svc-in-x"));
    expect(await w.prisma.request.findUniqueOrThrow({ where: { id: one.id } })).toMatchObject({ requiredApprovals: 2, policyVersionId: x.id });

    // A west item (us-west-2) under a 3-approval policy for X in that region, batched with the east one: the request needs 3.
    const west = await policy("west-region", { accountPattern: X, regionPattern: "us-west-2", requiredApprovals: 3 });
    const deps = { ...w.deps, targets: [...TARGETS, { accountId: X, region: "us-west-2", clusters: ["*"] }] };
    const { justification: _j, ...east } = createInput("svc-east");
    const batch = await createRequest(deps, alice, {
      kind: "batch",
      justification: "One SA in each region",
      items: [{ ...east, ...LOC }, { ...east, serviceAccount: "svc-west", cluster: "domino-auto", accountId: X, region: "us-west-2" }],
    });
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: batch.id } });
    expect(row.requiredApprovals).toBe(3);
    expect(row.approvalRequirements).toEqual([{ role: "approver", count: 3, policyVersionIds: [x.id, west.id] }]);
  });
});
