// Time-bound mappings, ahead of expiry: the sweep queues one webhook notice
// ROLEGATE_EXPIRY_NOTICE_HOURS before the expiry (recorded, once per mapping and
// expiry, even with racing sweeps), and the requester can ask for an extension
// that only takes effect once another user approved it and the runner applied
// it; the revocation then follows the new expiry. The clock is the tests'.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { expiryNoticeMs, sendExpiryNotices } from "@/lib/expiry/notice";
import { requestExtension } from "@/lib/expiry/extend";
import { buildItemKinds } from "@/lib/runtime";
import { createRequestRunner, runExpirySweep } from "@/lib/workers/request-handlers";
import type { Notification } from "@/lib/jobs/webhook";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import { OTHER_PI_ROLE } from "../support/constants";
import { createInput, sandboxAssociations } from "../support/requests";
import { useWorld } from "../support/world";

const w = useWorld({ users: ["alice", "ivy"], sandbox: true });
const { alice, ivy } = w.users;
const HOUR = 3600_000;
const clock = w.clock;
const sent: Notification[] = [];

beforeAll(() => {
  w.deps.kinds = buildItemKinds({ clock: () => clock.now() });
});
beforeEach(() => {
  sent.length = 0;
  clock.set(new Date()); // frozen at the test's start; the test moves it
});

const runner = () => createRequestRunner({ ...w.deps, now: clock.now, backoff: { tries: 2, baseMs: 1 } }, { leaseMs: 60_000, log: () => {} }, async (n) => (sent.push(n), true));
const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `unexpected: ${(e as Error).message}`));
const sweep = () => runExpirySweep({ prisma: w.prisma, kinds: w.deps.kinds, now: clock.now });

async function appliedTimeBound(sa: string, expiresAt: Date) {
  const r = await createRequest(w.deps, alice, { ...createInput(sa, OTHER_PI_ROLE), mappingExpiresAt: expiresAt });
  await approveRequest(w.deps, ivy, { id: r.id });
  await runner().drain();
  sent.length = 0;
  return w.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
}

describe("expiry notice and extension", () => {
  it("notice hours come from ROLEGATE_EXPIRY_NOTICE_HOURS (default 24)", () => {
    expect(expiryNoticeMs({})).toBe(24 * HOUR);
    expect(expiryNoticeMs({ ROLEGATE_EXPIRY_NOTICE_HOURS: "2" })).toBe(2 * HOUR);
  });

  it("one webhook notice 24 h before the expiry, recorded, not repeated by later or racing sweeps", async () => {
    const t0 = clock.now();
    const expiry = new Date(t0.getTime() + 30 * HOUR);
    const item = await appliedTimeBound("svc-temp", expiry);

    expect((await sweep()).notices).toEqual([]); // 30 h ahead: too early
    clock.set(new Date(expiry.getTime() - 23 * HOUR));
    const racing = await Promise.all([sweep(), sendExpiryNotices({ prisma: w.prisma, kinds: w.deps.kinds, now: clock.now })]);
    expect(racing.flatMap((r) => (Array.isArray(r) ? r : r.notices))).toEqual([item.id]);
    await runner().drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ event: "expiry-notice", requestId: item.requestId });
    expect(sent[0]!.text).toContain("alice");
    expect(sent[0]!.text).toContain(expiry.toISOString());
    const audit = await w.prisma.auditEvent.findMany({ where: { event: "mapping.expiry_notice" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "system", requestId: item.requestId, serviceAccount: "svc-temp" });

    clock.set(new Date(expiry.getTime() - 1 * HOUR));
    expect((await sweep()).notices).toEqual([]);
    await runner().drain();
    expect(sent).toHaveLength(1);
  }, 90_000);

  it("the requester asks for an extension: approval-gated, audited, the revocation follows the new expiry and a new notice precedes it", async () => {
    const t0 = clock.now();
    const expiry = new Date(t0.getTime() + 10 * HOUR);
    const item = await appliedTimeBound("svc-extend", expiry);
    const newExpiry = new Date(expiry.getTime() + 48 * HOUR);
    const input = { itemId: item.id, newExpiresAt: newExpiry, justification: "The backfill runs two more days" };
    await sweep(); // 10 h ahead: the notice for the current expiry
    expect(await w.prisma.auditEvent.count({ where: { event: "mapping.expiry_notice" } })).toBe(1);

    expect(await code(requestExtension(w.deps, ivy, input))).toBe("forbidden"); // not the requester
    expect(await code(requestExtension(w.deps, alice, { ...input, newExpiresAt: new Date(expiry.getTime() - HOUR) }))).toBe("invalid");
    expect(await code(requestExtension(w.deps, alice, { ...input, newExpiresAt: new Date(t0.getTime() + 200 * 24 * HOUR) }))).toBe("invalid");
    const r = await requestExtension(w.deps, alice, input);
    expect(await code(requestExtension(w.deps, alice, input))).toBe("conflict"); // one open extension at a time

    // Not in force before approval.
    await runner().drain();
    expect((await w.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } })).mappingExpiresAt).toEqual(expiry);
    expect(await code(approveRequest(w.deps, alice, { id: r.id }))).not.toBe("ok"); // no self-approval

    await approveRequest(w.deps, ivy, { id: r.id });
    await runner().drain();
    const extension = await w.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(extension.status).toBe("applied");
    expect(extension.items[0]).toMatchObject({ kind: "extend-expiry", outcome: "updated" });
    expect((extension.prechecks as { id: string }[]).map((p) => p.id)).toEqual(["mapping-in-force"]);
    expect((await w.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } })).mappingExpiresAt).toEqual(newExpiry);
    const audited = await w.prisma.auditEvent.findFirstOrThrow({ where: { event: "mapping.expiry_extended" } });
    expect(audited.details).toMatchObject({ extendedItem: item.id, from: expiry.toISOString(), to: newExpiry.toISOString() });

    // The old expiry passes: nothing revoked.
    clock.set(new Date(expiry.getTime() + 60_000));
    expect((await sweep()).revocations).toEqual([]);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-extend")).toHaveLength(1);
    // A notice for the new expiry as well.
    clock.set(new Date(newExpiry.getTime() - 20 * HOUR));
    expect((await sweep()).notices).toEqual([item.id]);
    expect(await w.prisma.auditEvent.count({ where: { event: "mapping.expiry_notice" } })).toBe(2);
    // The new expiry passes: revoked.
    clock.set(new Date(newExpiry.getTime() + 60_000));
    expect((await sweep()).revocations).toHaveLength(1);
    await runner().drain();
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-extend")).toHaveLength(0);
  }, 120_000);
});
