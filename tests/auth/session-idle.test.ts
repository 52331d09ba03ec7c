// The idle expiry slides without a GET writing: resolving a session reads only
// (an expired one is refused, not deleted), refreshSession moves the idle clock at
// most every five minutes and never revives an idle or expired session, and the
// background upkeep deletes what has expired. Real database.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSession, purgeExpiredSessions, refreshSession, resolveSession, SESSION_REFRESH_MS } from "@/lib/auth/sessions";
import { SESSION_IDLE_MS } from "@/lib/auth/session-token";
import { databaseChecksum, openTestDatabase, type TestDatabase } from "../support/db";

let t: TestDatabase;
beforeAll(async () => void (t = await openTestDatabase()));
afterAll(() => t?.close());
beforeEach(() => t.reset());

const NOW = new Date("2026-12-01T12:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

async function session(lastSeenMinutesAgo: number) {
  const u = await t.prisma.user.create({ data: { login: `idle-${lastSeenMinutesAgo}`, name: "Idle", role: "auditor", source: "oidc", mode: "sandbox" } });
  const s = await createSession(t.prisma, u.id, "sandbox", "vitest", minutes(-lastSeenMinutesAgo));
  const row = await t.prisma.session.findFirstOrThrow({ where: { userId: u.id } });
  return { ...s, id: row.id };
}

describe("sliding idle expiry", () => {
  it("resolving reads only: a live session resolves with its refresh time, an idle one is refused and left for the upkeep", async () => {
    const live = await session(30);
    const idle = await session(SESSION_IDLE_MS / 60_000 + 1);
    const before = await databaseChecksum(t.prisma);
    expect(await resolveSession(t.prisma, live.token, "sandbox", NOW)).toMatchObject({ via: "session", session: { id: live.id, lastSeenAt: minutes(-30) } });
    expect(await resolveSession(t.prisma, idle.token, "sandbox", NOW)).toBeNull();
    expect(await databaseChecksum(t.prisma)).toBe(before);
    expect(await purgeExpiredSessions(t.prisma, NOW)).toBe(1);
    expect(await t.prisma.session.count()).toBe(1);
  });

  it("refreshSession moves the clock once it is more than five minutes old, and never revives an idle session", async () => {
    const recent = await session(SESSION_REFRESH_MS / 60_000 - 1);
    const due = await session(20);
    const idle = await session(SESSION_IDLE_MS / 60_000 + 1);
    expect(await refreshSession(t.prisma, recent.id, NOW)).toBe(false);
    expect(await refreshSession(t.prisma, due.id, NOW)).toBe(true);
    expect(await refreshSession(t.prisma, due.id, NOW)).toBe(false);
    expect(await refreshSession(t.prisma, idle.id, NOW)).toBe(false);
    expect((await t.prisma.session.findUniqueOrThrow({ where: { id: due.id } })).lastSeenAt).toEqual(NOW);
    expect(await resolveSession(t.prisma, idle.token, "sandbox", NOW)).toBeNull();
  });
});
