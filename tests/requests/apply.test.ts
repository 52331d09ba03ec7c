// Applying approved requests through the job queue, against the sandbox's EKS:
// exactly once under races, retries, crashes and pre-existing associations.
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { claimJob } from "@/lib/jobs/queue";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { retryRequest } from "@/lib/requests/retry-request";
import { casTransition } from "@/lib/requests/transition";
import { OTHER_PI_ROLE, PI_ROLE } from "../support/constants";
import { createInput, runner, sandboxAssociations, successfulCreates } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const { alice, ivy } = w.users;

const status = async (id: string) => (await w.prisma.request.findUniqueOrThrow({ where: { id } })).status;
const events = async (event: string) => w.prisma.auditEvent.count({ where: { event } });

describe("applying", () => {
  it("50 concurrent approvals of one request -> one approval, one CreatePodIdentityAssociation, one applied event", async () => {
    const approvers = await Promise.all(Array.from({ length: 50 }, (_, i) => w.makeUser(`approver-${i}`, "approver")));
    const r = await createRequest(w.deps, alice, createInput("svc-race"));
    const before = successfulCreates(w).length;
    const outcomes = await Promise.allSettled(approvers.map((a) => approveRequest(w.deps, a, { id: r.id })));
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    expect(ok).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect((o.reason as DomainError).code).toBe("conflict");
    expect(await w.prisma.review.count({ where: { requestId: r.id } })).toBe(1);
    expect(await w.prisma.job.count({ where: { queue: "apply-request" } })).toBe(1);
    // Two runners racing for the queue.
    await Promise.all([runner(w).drain(), runner(w).drain()]);
    expect(await status(r.id)).toBe("applied");
    expect(successfulCreates(w).length - before).toBe(1);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-race")).toHaveLength(1);
    expect(await events("request.applied")).toBe(1);
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    expect(item).toMatchObject({ status: "applied", outcome: "created", resultAssociationId: expect.stringMatching(/^a-/), resultAssociationArn: expect.stringContaining(":podidentityassociation/") });
  }, 60_000);

  it("retry after injected failures: failed with the AWS error, then applied once", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-retry"));
    await approveRequest(w.deps, ivy, { id: r.id });
    w.sandbox.ctx.faults.configure({ failNext: { CreatePodIdentityAssociation: 5 } });
    await runner(w).drain();
    expect(await status(r.id)).toBe("failed");
    const failed = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    expect(failed.status).toBe("failed");
    expect(failed.lastErrorMessage).toMatch(/CreatePodIdentityAssociation failed/);
    expect(await events("request.failed")).toBe(1);
    await expect(retryRequest(w.deps, alice, { id: r.id })).resolves.toMatchObject({ status: "applying" });
    await expect(retryRequest(w.deps, alice, { id: r.id })).rejects.toMatchObject({ code: "conflict" });
    await runner(w).drain();
    expect(await status(r.id)).toBe("applied");
    expect(successfulCreates(w)).toHaveLength(1);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-retry")).toHaveLength(1);
  });

  it("crash during apply: the lease expires, another runner resumes, the association exists once", async () => {
    const r = await createRequest(w.deps, alice, createInput("svc-crash"));
    await approveRequest(w.deps, ivy, { id: r.id });
    await w.prisma.job.deleteMany({ where: { queue: "notify" } });
    // The first worker claims the job, marks the request applying, sends the create... and dies.
    const job = await claimJob(w.prisma, "doomed-worker", 4000);
    expect(job?.queue).toBe("apply-request");
    await w.prisma.$transaction(async (tx) => casTransition(tx, await tx.request.findUniqueOrThrow({ where: { id: r.id } }), "applying"));
    const item = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    const first = await w.aws.writer.createAssociation({ accountId: item.accountId, region: item.region }, {
      clusterName: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, roleArn: item.roleArn!,
      disableSessionTags: false, tags: { "rolegate.io/managed-by": "rolegate", "rolegate.io/request-id": r.id }, clientRequestToken: item.clientRequestToken,
    });
    // Before the lease expires nobody else may take the job.
    expect(await runner(w).drain()).toBe(0);
    const lease = (await w.prisma.job.findFirstOrThrow({ where: { queue: "apply-request" } })).lockedUntil!;
    await new Promise((res) => setTimeout(res, lease.getTime() - Date.now() + 100));
    expect(await runner(w).drain()).toBeGreaterThanOrEqual(1);
    expect(await status(r.id)).toBe("applied");
    const assocs = sandboxAssociations(w, "domino-green", "domino-compute", "svc-crash");
    expect(assocs).toHaveLength(1);
    const after = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
    expect(after.resultAssociationId).toBe(first.associationId);
    // Two 200 answers (the dead worker's and the resumed one's) for ONE association: the token made the second idempotent.
    expect(successfulCreates(w)).toHaveLength(2);
    expect(after.outcome).toBe("created");
    expect(await events("request.applied")).toBe(1);
    const jobRow = await w.prisma.job.findFirstOrThrow({ where: { queue: "apply-request" } });
    expect(jobRow).toMatchObject({ status: "done", attempts: 2 });
  });

  it("ResourceInUse: adopts the existing association with the same role, fails clearly for another role", async () => {
    const loc = { accountId: "111122223333", region: "us-east-1" };
    const existing = await w.aws.writer.createAssociation(loc, { clusterName: "domino-green", namespace: "domino-compute", serviceAccount: "svc-adopt", roleArn: PI_ROLE, clientRequestToken: "out-of-band-1" });
    await w.aws.writer.createAssociation(loc, { clusterName: "domino-green", namespace: "domino-compute", serviceAccount: "svc-other", roleArn: OTHER_PI_ROLE, clientRequestToken: "out-of-band-2" });
    const adopt = await createRequest(w.deps, alice, createInput("svc-adopt"));
    const clash = await createRequest(w.deps, alice, createInput("svc-other"));
    await approveRequest(w.deps, ivy, { id: adopt.id });
    await approveRequest(w.deps, ivy, { id: clash.id });
    await runner(w).drain();
    expect(await status(adopt.id)).toBe("applied");
    expect(await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: adopt.id } })).toMatchObject({ outcome: "adopted", resultAssociationId: existing.associationId });
    expect(await status(clash.id)).toBe("failed");
    const failed = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: clash.id } });
    expect(failed.lastErrorCode).toBe("ResourceInUseException");
    expect(failed.lastErrorMessage).toMatch(/already mapped to .*domino-pi-data-quality.*File an update request/);
  });

  it("update and delete requests change and revoke an association", async () => {
    const c = await createRequest(w.deps, alice, createInput("svc-lifecycle"));
    await approveRequest(w.deps, ivy, { id: c.id });
    await runner(w).drain();
    const u = await createRequest(w.deps, alice, { ...createInput("svc-lifecycle", OTHER_PI_ROLE), kind: "update" });
    await approveRequest(w.deps, ivy, { id: u.id });
    await runner(w).drain();
    expect(await status(u.id)).toBe("applied");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-lifecycle")[0]!.roleArn).toBe(OTHER_PI_ROLE);
    const d = await createRequest(w.deps, alice, { ...createInput("svc-lifecycle"), kind: "delete", roleArn: undefined });
    await approveRequest(w.deps, ivy, { id: d.id });
    await runner(w).drain();
    expect(await status(d.id)).toBe("applied");
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-lifecycle")).toHaveLength(0);
  });
});
