// Gaps closed after the first cut of the workflow: time-bound mappings revoked
// by the system user, the request TTL, prechecks re-run on open and at apply,
// the node-role precheck, and IAM changes carried as items.
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { createRequestRunner, runExpirySweep, scheduleExpirySweep } from "@/lib/workers/request-handlers";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { refreshPrechecks } from "@/lib/requests/refresh-prechecks";
import { SYSTEM_LOGIN } from "@/lib/requests/system-user";
import { requestTtlMs } from "@/lib/requests/ttl";
import { LOC, OTHER_PI_ROLE, PI_ROLE } from "../support/constants";
import { createInput, sandboxAssociations, successfulCreates } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy", "root"], sandbox: true });
const { alice, ivy, root } = w.users;
const HOUR = 3600_000;
const NODE_ROLE = "arn:aws:iam::111122223333:role/domino-green-eks-nodes";

const runnerAt = (now: () => Date) => createRequestRunner({ ...w.deps, now, backoff: { tries: 2, baseMs: 1 } }, { leaseMs: 60_000, log: () => {} }, async () => true);
const calls = (operation: string) => w.sandbox.ctx.calls.list({ operation }).filter((c) => c.status === 200).length;
const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `unexpected: ${(e as Error).message}`));

/** An applied create request whose mapping expires at `expiresAt` (OTHER_PI_ROLE: covered by the green node role). */
async function appliedTimeBound(sa: string, expiresAt: Date) {
  const r = await createRequest(w.deps, alice, { ...createInput(sa, OTHER_PI_ROLE), mappingExpiresAt: expiresAt });
  await approveRequest(w.deps, ivy, { id: r.id });
  await runnerAt(() => new Date()).drain();
  expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("applied");
  return r.id;
}

describe("time-bound mappings", () => {
  it("at mappingExpiresAt the scheduled sweep files one system delete request, auto-approved as system revocation, applied and audited", async () => {
    const expiry = new Date(Date.now() + 2 * HOUR);
    const original = await appliedTimeBound("svc-temp", expiry);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-temp")).toHaveLength(1);

    // Before the expiry: nothing happens.
    expect((await runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: () => new Date(expiry.getTime() - 1000) })).revocations).toEqual([]);

    // After it: the periodic job (queued by the runner's tick) revokes, once, even when two sweeps race.
    const later = () => new Date(expiry.getTime() + 60_000);
    await scheduleExpirySweep(w.prisma, later());
    await scheduleExpirySweep(w.prisma, later()); // same slot: deduplicated
    expect(await w.prisma.job.count({ where: { queue: "expiry-sweep" } })).toBe(1);
    const racing = await Promise.all([runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: later }), runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: later })]);
    expect(racing.flatMap((r) => r.revocations)).toHaveLength(1);
    await runnerAt(later).drain();

    const revocation = await w.prisma.request.findFirstOrThrow({ where: { kind: "delete" }, include: { requester: true, items: true, reviews: true } });
    expect(revocation.requester.login).toBe(SYSTEM_LOGIN);
    expect(revocation.requester.disabledAt).not.toBeNull(); // can never sign in
    expect(revocation.reviews).toHaveLength(0);
    expect(revocation.status).toBe("applied");
    expect(revocation.items[0]).toMatchObject({ kind: "delete", outcome: "deleted" });
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-temp")).toHaveLength(0);
    const originalItem = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: original } });
    expect(originalItem.revocationRequestId).toBe(revocation.id);

    const trail = await w.prisma.auditEvent.findMany({ where: { requestId: revocation.id }, orderBy: { id: "asc" } });
    expect(trail.map((a) => [a.actor, a.event])).toEqual([
      [SYSTEM_LOGIN, "request.created"],
      [SYSTEM_LOGIN, "request.auto_approved"],
      ["system", "request.apply_started"],
      ["system", "request.item_applied"],
      ["system", "request.applied"],
    ]);
    expect(trail[1]!.details).toMatchObject({ policy: "system revocation", revokes: original });

    // A later sweep finds nothing more to revoke.
    expect((await runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: () => new Date(expiry.getTime() + 10 * HOUR) })).revocations).toEqual([]);
  }, 90_000);

  it("pending requests expire after ROLEGATE_REQUEST_TTL_HOURS (default 72) through the sweep job", async () => {
    expect(requestTtlMs({})).toBe(72 * HOUR);
    expect(requestTtlMs({ ROLEGATE_REQUEST_TTL_HOURS: "1.5" })).toBe(1.5 * HOUR);
    expect(() => requestTtlMs({ ROLEGATE_REQUEST_TTL_HOURS: "soon" })).toThrow(/ROLEGATE_REQUEST_TTL_HOURS/);
    const t0 = new Date();
    const r = await createRequest({ ...w.deps, now: () => t0 }, alice, createInput("svc-ttl", OTHER_PI_ROLE));
    const row = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } });
    expect(row.expiresAt.getTime() - t0.getTime()).toBe(72 * HOUR);
    expect((await runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: () => new Date(t0.getTime() + 71 * HOUR) })).expired).toEqual([]);
    const at = new Date(t0.getTime() + 73 * HOUR);
    await scheduleExpirySweep(w.prisma, at);
    await runnerAt(() => at).drain();
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("expired");
  });
});

describe("prechecks again on open and at apply", () => {
  it("a trust policy broken after filing: refresh shows the failure with its time, and apply fails the item without calling AWS", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-late", OTHER_PI_ROLE));
    expect(r.prechecks.find((p) => p.id === "trust-allows-pod-identity")?.status).toBe("pass");
    await w.aws.iamWriter.updateAssumeRolePolicy(LOC, OTHER_PI_ROLE, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }));
    const openedAt = new Date("2030-01-01T00:00:00Z");
    const fresh = await refreshPrechecks({ ...w.deps, now: () => openedAt }, r.id);
    expect(fresh.prechecks.find((p) => p.id === "trust-allows-pod-identity")).toMatchObject({ status: "fail", fix: { kind: "trust-policy" } });
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).prechecksAt).toEqual(openedAt);

    // Approving past the failing check now needs an override (issue 10 hole 8); apply still refuses the item.
    await approveRequest(w.deps, ivy, { id: r.id, override: { reason: "the trust is being fixed by the platform team" } });
    const before = calls("CreatePodIdentityAssociation");
    await runnerAt(() => new Date()).drain();
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    expect(item).toMatchObject({ status: "failed", lastErrorCode: "PrecheckFailed", lastErrorMessage: expect.stringContaining("trust-allows-pod-identity") });
    expect(calls("CreatePodIdentityAssociation")).toBe(before);
    expect(w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" })).toHaveLength(0);
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("failed");
  }, 60_000);
});

describe("node-role precheck and IAM items", () => {
  it("a role missing from the green node role's exhaustive list fails with the exhaustive node-role policy as fix", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-node", PI_ROLE));
    const check = r.prechecks.find((p) => p.id === "node-role-allows-role")!;
    expect(check.status).toBe("fail");
    const fix = check.fix!.json as { nodeRoleArn: string; policyName: string; policy: { Statement: { Action: string; Resource: string[] }[] } };
    expect(fix.nodeRoleArn).toBe(NODE_ROLE);
    expect(fix.policyName).toBe("pod-identity");
    const resources = fix.policy.Statement.find((s) => s.Action === "eks-auth:AssumeRoleForPodIdentity")!.Resource;
    expect(resources).toContain(PI_ROLE);
    expect(resources).toContain(OTHER_PI_ROLE); // keeps what was there: exhaustive
    expect([...resources].sort()).toEqual(resources);
    // Covered roles and the unrestricted Blue node role pass.
    const ok = await createRequest(w.deps, alice, createInput("svc-node-ok", OTHER_PI_ROLE));
    expect(ok.prechecks.find((p) => p.id === "node-role-allows-role")?.status).toBe("pass");
  });

  it("include the suggested IAM fix: IAM items first, only the IAM team approves, applied before the association", async () => {
    const r = await createRequest(w.deps, alice, { ...createInput("svc-iam", PI_ROLE), includeIamFixes: true });
    const items = await w.prisma.requestItem.findMany({ where: { requestId: r.id }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.kind)).toEqual(["iam-node-role-policy", "create"]);
    expect(items[0]).toMatchObject({ roleArn: NODE_ROLE, iamPolicyName: "pod-identity" });
    expect(r.prechecks.find((p) => p.id === "node-role-allows-role")?.item).toBe(1);
    expect(await code(approveRequest(w.deps, root, { id: r.id }))).toBe("forbidden"); // admin is not the IAM team
    await approveRequest(w.deps, ivy, { id: r.id });
    await runnerAt(() => new Date()).drain();
    const put = w.sandbox.ctx.calls.list({ operation: "PutRolePolicy" });
    const create = w.sandbox.ctx.calls.list({ operation: "CreatePodIdentityAssociation" });
    expect(put.filter((c) => c.status === 200)).toHaveLength(1);
    expect(successfulCreates(w)).toHaveLength(1);
    expect(w.sandbox.ctx.calls.list().indexOf(put[0]!)).toBeLessThan(w.sandbox.ctx.calls.list().indexOf(create[0]!));
    expect((await w.prisma.request.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("applied");
    const again = await refreshPrechecks(w.deps, r.id);
    expect(again.prechecks.find((p) => p.id === "node-role-allows-role")?.status).toBe("pass");
  }, 60_000);

  it("a failing trust policy becomes an iam-trust-update item applied with UpdateAssumeRolePolicy", async () => {
    const noTag = "arn:aws:iam::111122223333:role/domino/domino-pi-snowflake-export";
    const r = await createRequest(w.deps, alice, { ...createInput("svc-trust", noTag), includeIamFixes: true });
    const items = await w.prisma.requestItem.findMany({ where: { requestId: r.id }, orderBy: { position: "asc" } });
    expect(items.map((i) => i.kind)).toContain("iam-trust-update");
    expect(JSON.parse(items.find((i) => i.kind === "iam-trust-update")!.iamPolicyDocument!).Statement.at(-1).Action).toContain("sts:TagSession");
  });
});
