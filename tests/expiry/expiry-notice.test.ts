// Time-bound mappings, ahead of expiry: the sweep queues one webhook notice
// ROLEGATE_EXPIRY_NOTICE_HOURS before the expiry (recorded, once per mapping and
// expiry, even with racing sweeps), and the requester can ask for an extension
// that only takes effect once another user approved it and the runner applied
// it; the revocation then follows the new expiry. The clock is the tests'.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/core/errors";
import { expiryNoticeMs, sendExpiryNotices } from "@/lib/expiry/notice";
import { requestExtension } from "@/lib/expiry/extend";
import { buildItemKinds } from "@/lib/runtime";
import { createRequestRunner, runExpirySweep } from "@/lib/jobs/request-handlers";
import type { Notification } from "@/lib/jobs/webhook";
import { approveRequest } from "@/lib/requests/approve-request";
import { createRequest } from "@/lib/requests/create-request";
import type { Actor } from "@/lib/requests/deps";
import { createInput, makeUser, openWorld, OTHER_PI_ROLE, sandboxAssociations, type World } from "../requests/fixtures";

let w: World;
let alice: Actor, ivy: Actor;
const HOUR = 3600_000;
let clock = new Date();
const sent: Notification[] = [];

beforeAll(async () => {
  w = await openWorld();
  w.deps.kinds = buildItemKinds({ clock: () => clock });
}, 60_000);
afterAll(async () => w.close());
beforeEach(async () => {
  await w.t.reset();
  await fetch(`${w.sandbox.awsEndpoint}/_sandbox/reset`, { method: "POST" });
  alice = await makeUser(w, "alice", "requester");
  ivy = await makeUser(w, "ivy", "approver");
  sent.length = 0;
  clock = new Date();
});

const runner = () => createRequestRunner({ ...w.deps, now: () => clock, backoff: { tries: 2, baseMs: 1 } }, { leaseMs: 60_000, log: () => {} }, async (n) => (sent.push(n), true));
const code = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : `unexpected: ${(e as Error).message}`));
const sweep = () => runExpirySweep({ prisma: w.t.prisma, kinds: w.deps.kinds, now: () => clock });

async function appliedTimeBound(sa: string, expiresAt: Date) {
  const r = await createRequest(w.deps, alice, { ...createInput(sa, OTHER_PI_ROLE), mappingExpiresAt: expiresAt });
  await approveRequest(w.deps, ivy, { id: r.id });
  await runner().drain();
  sent.length = 0;
  return w.t.prisma.requestItem.findFirstOrThrow({ where: { requestId: r.id } });
}

describe("expiry notice and extension", () => {
  it("notice hours come from ROLEGATE_EXPIRY_NOTICE_HOURS (default 24)", () => {
    expect(expiryNoticeMs({})).toBe(24 * HOUR);
    expect(expiryNoticeMs({ ROLEGATE_EXPIRY_NOTICE_HOURS: "2" })).toBe(2 * HOUR);
  });

  it("one webhook notice 24 h before the expiry, recorded, not repeated by later or racing sweeps", async () => {
    const t0 = clock;
    const expiry = new Date(t0.getTime() + 30 * HOUR);
    const item = await appliedTimeBound("svc-temp", expiry);

    expect((await sweep()).notices).toEqual([]); // 30 h ahead: too early
    clock = new Date(expiry.getTime() - 23 * HOUR);
    const racing = await Promise.all([sweep(), sendExpiryNotices({ prisma: w.t.prisma, now: () => clock })]);
    expect(racing.flatMap((r) => (Array.isArray(r) ? r : r.notices))).toEqual([item.id]);
    await runner().drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ event: "expiry-notice", requestId: item.requestId });
    expect(sent[0]!.text).toContain("alice");
    expect(sent[0]!.text).toContain(expiry.toISOString());
    const audit = await w.t.prisma.auditEvent.findMany({ where: { event: "mapping.expiry_notice" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: "system", requestId: item.requestId, serviceAccount: "svc-temp" });

    clock = new Date(expiry.getTime() - 1 * HOUR);
    expect((await sweep()).notices).toEqual([]);
    await runner().drain();
    expect(sent).toHaveLength(1);
  }, 90_000);

  it("the requester asks for an extension: approval-gated, audited, the revocation follows the new expiry and a new notice precedes it", async () => {
    const t0 = clock;
    const expiry = new Date(t0.getTime() + 10 * HOUR);
    const item = await appliedTimeBound("svc-extend", expiry);
    const newExpiry = new Date(expiry.getTime() + 48 * HOUR);
    const input = { itemId: item.id, newExpiresAt: newExpiry, justification: "The backfill runs two more days" };
    await sweep(); // 10 h ahead: the notice for the current expiry
    expect(await w.t.prisma.auditEvent.count({ where: { event: "mapping.expiry_notice" } })).toBe(1);

    expect(await code(requestExtension(w.deps, ivy, input))).toBe("forbidden"); // not the requester
    expect(await code(requestExtension(w.deps, alice, { ...input, newExpiresAt: new Date(expiry.getTime() - HOUR) }))).toBe("invalid");
    expect(await code(requestExtension(w.deps, alice, { ...input, newExpiresAt: new Date(t0.getTime() + 200 * 24 * HOUR) }))).toBe("invalid");
    const r = await requestExtension(w.deps, alice, input);
    expect(await code(requestExtension(w.deps, alice, input))).toBe("conflict"); // one open extension at a time

    // Not in force before approval.
    await runner().drain();
    expect((await w.t.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } })).mappingExpiresAt).toEqual(expiry);
    expect(await code(approveRequest(w.deps, alice, { id: r.id }))).not.toBe("ok"); // no self-approval

    await approveRequest(w.deps, ivy, { id: r.id });
    await runner().drain();
    const extension = await w.t.prisma.request.findUniqueOrThrow({ where: { id: r.id }, include: { items: true } });
    expect(extension.status).toBe("applied");
    expect(extension.items[0]).toMatchObject({ kind: "extend-expiry", outcome: "updated" });
    expect((extension.prechecks as { id: string }[]).map((p) => p.id)).toEqual(["mapping-in-force"]);
    expect((await w.t.prisma.requestItem.findUniqueOrThrow({ where: { id: item.id } })).mappingExpiresAt).toEqual(newExpiry);
    const audited = await w.t.prisma.auditEvent.findFirstOrThrow({ where: { event: "mapping.expiry_extended" } });
    expect(audited.details).toMatchObject({ extendedItem: item.id, from: expiry.toISOString(), to: newExpiry.toISOString() });

    // The old expiry passes: nothing revoked.
    clock = new Date(expiry.getTime() + 60_000);
    expect((await sweep()).revocations).toEqual([]);
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-extend")).toHaveLength(1);
    // A notice for the new expiry as well.
    clock = new Date(newExpiry.getTime() - 20 * HOUR);
    expect((await sweep()).notices).toEqual([item.id]);
    expect(await w.t.prisma.auditEvent.count({ where: { event: "mapping.expiry_notice" } })).toBe(2);
    // The new expiry passes: revoked.
    clock = new Date(newExpiry.getTime() + 60_000);
    expect((await sweep()).revocations).toHaveLength(1);
    await runner().drain();
    expect(sandboxAssociations(w, "domino-green", "domino-compute", "svc-extend")).toHaveLength(0);
  }, 120_000);
});
