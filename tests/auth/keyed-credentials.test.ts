// A database-only attacker (someone holding DATABASE_URL, not ROLEGATE_AUDIT_KEY)
// cannot sign in as anyone by writing a session or API token row: stored hashes
// are keyed (HMAC under a subkey of the audit key over SHA-256 of the token), so a
// row holding the plain SHA-256 of a token they chose matches nothing. Rows from
// before the keying are converted once, by a data migration in the migration
// ledger; a plain row written after that conversion stays refused.
// Real database, real currentUser() (cookie and bearer).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { randomUUID } from "node:crypto";
import { deriveAuditKey, getAuditKey } from "@/lib/audit/key";
import { DATA_MIGRATED_EVENT, recordedInTrail } from "@/lib/audit/recorded-in-trail";
import { verifyAuditChain } from "@/lib/audit/verify";
import { authenticateApiToken, createPersonalToken, newApiToken } from "@/lib/auth/api-tokens";
import { keyCredentialHashes, KEY_CREDENTIAL_HASHES } from "@/lib/auth/key-credential-hashes";
import { hashToken, newSessionToken, plainTokenHash, SESSION_COOKIE } from "@/lib/auth/session-token";
import { createSession, resolveSession } from "@/lib/auth/sessions";
import { openPostgres } from "@/lib/db/drivers";
import { runDataMigrations } from "@/lib/db/migrate";
import { createPrismaClient } from "@/lib/db/prisma-client";
import { asAnonymous, asBearer, harness, openHarnessDatabase } from "../support/app-harness";
import type { TestDatabase } from "../support/db";

const { currentUser } = await import("@/lib/auth/authenticate");

let t: TestDatabase;
const HOUR = 3600_000;
/** The ledger outlives the per-test reset: each test starts from a database the conversion has not run on. */
const forgetConversion = () => t.prisma.$executeRaw`DELETE FROM "_rolegate_migrations" WHERE name = ${KEY_CREDENTIAL_HASHES}`;

beforeAll(async () => {
  t = await openHarnessDatabase();
});
afterAll(async () => {
  await forgetConversion();
  await t?.close();
});
beforeEach(async () => {
  await t.reset();
  await forgetConversion();
});
afterEach(() => asAnonymous());

const admin = () => t.prisma.user.create({ data: { login: "root", name: "Root", role: "admin", source: "oidc", mode: "sandbox" } });
const asCookie = (token: string) => {
  asAnonymous();
  harness.cookies.set(SESSION_COOKIE, token);
};

/** What the attacker writes: a session row for `userId` whose hash is the plain SHA-256 of a token they chose. */
async function plantSession(userId: string) {
  const token = newSessionToken();
  await t.prisma.session.create({ data: { userId, tokenHash: plainTokenHash(token), expiresAt: new Date(Date.now() + HOUR), lastSeenAt: new Date(), mode: "sandbox" } });
  return token;
}

async function plantApiToken(userId: string) {
  const token = newApiToken();
  await t.prisma.apiToken.create({
    data: { name: "planted", kind: "personal", tokenHash: plainTokenHash(token), prefix: token.slice(0, 7), userId, createdById: userId, expiresAt: new Date(Date.now() + 24 * HOUR), mode: "sandbox" },
  });
  return token;
}

describe("credential rows written without the key", () => {
  it("a session row with the plain SHA-256 of a chosen token, for an admin, signs nobody in", async () => {
    const root = await admin();
    const token = await plantSession(root.id);
    expect(await resolveSession(t.prisma, token, "sandbox")).toBeNull();
    asCookie(token);
    expect(await currentUser()).toBeNull();
    // A session RoleGate made works: the stored hash is keyed, not the token's SHA-256.
    const real = await createSession(t.prisma, root.id, "sandbox");
    const row = await t.prisma.session.findFirstOrThrow({ where: { tokenHash: hashToken(real.token) } });
    expect(row.tokenHash).not.toBe(plainTokenHash(real.token));
    asCookie(real.token);
    expect(await currentUser()).toMatchObject({ login: "root", role: "admin", via: "session" });
  });

  it("an API token row with the plain SHA-256 of a chosen rg_ token, for an admin, authenticates nobody", async () => {
    const root = await admin();
    const token = await plantApiToken(root.id);
    expect(await authenticateApiToken(t.prisma, token, new Date(), "sandbox")).toBeNull();
    asBearer(token);
    expect(await currentUser()).toBeNull();
    const real = await t.prisma.$transaction((tx) => createPersonalToken(tx, { ...root, via: "session", kind: "person" }, "mine", 30));
    asBearer(real.token);
    expect(await currentUser()).toMatchObject({ login: "root", via: "token" });
  });

  it("a hash keyed with another key is refused too: the key, not the format, is what counts", async () => {
    const root = await admin();
    const token = newSessionToken();
    const mallory = deriveAuditKey("mallory-key-mallory-key-mallory-key!", "test");
    await t.prisma.session.create({ data: { userId: root.id, tokenHash: hashToken(token, mallory), expiresAt: new Date(Date.now() + HOUR), lastSeenAt: new Date(), mode: "sandbox" } });
    expect(await resolveSession(t.prisma, token, "sandbox")).toBeNull();
  });
});

/** The conversion as the app runs it at start-up (lib/runtime.ts appDataMigrations). */
const conversion = () => recordedInTrail(keyCredentialHashes(getAuditKey()), getAuditKey());

describe("the once-only conversion of rows from before the keying", () => {
  it("keys the legacy rows, so their tokens keep working; a plain row inserted after it is refused, and it does not run again", async () => {
    const root = await admin();
    // Rows as the previous version wrote them: the plain SHA-256 of the token.
    const legacySession = await plantSession(root.id);
    const legacyToken = await plantApiToken(root.id);
    expect(await resolveSession(t.prisma, legacySession, "sandbox")).toBeNull();

    expect(await runDataMigrations(t.prisma, [conversion()])).toEqual([KEY_CREDENTIAL_HASHES]);
    expect(await resolveSession(t.prisma, legacySession, "sandbox")).toMatchObject({ login: "root" });
    expect(await authenticateApiToken(t.prisma, legacyToken, new Date(), "sandbox")).toMatchObject({ login: "root" });
    const ledger = await t.prisma.$queryRaw<{ name: string }[]>`SELECT name FROM "_rolegate_migrations" WHERE name = ${KEY_CREDENTIAL_HASHES}`;
    expect(ledger).toHaveLength(1);

    // After the conversion: a planted plain row is never matched, however often RoleGate starts.
    const planted = await plantSession(root.id);
    const plantedToken = await plantApiToken(root.id);
    expect(await runDataMigrations(t.prisma, [conversion()])).toEqual([]);
    expect(await resolveSession(t.prisma, planted, "sandbox")).toBeNull();
    expect(await authenticateApiToken(t.prisma, plantedToken, new Date(), "sandbox")).toBeNull();
    asCookie(planted);
    expect(await currentUser()).toBeNull();
    // The legacy ones were converted once, not twice.
    expect(await resolveSession(t.prisma, legacySession, "sandbox")).toMatchObject({ login: "root" });
  });

  it("with one database role, deleting its ledger row does not make it run again: its run is in the audit trail", async () => {
    const root = await admin();
    await runDataMigrations(t.prisma, [conversion()]);
    expect(await t.prisma.auditEvent.count({ where: { event: DATA_MIGRATED_EVENT, subject: `migration:${KEY_CREDENTIAL_HASHES}` } })).toBe(1);
    // The attacker plants a plain row and deletes the ledger row, hoping the next start converts it.
    const planted = await plantSession(root.id);
    await forgetConversion();
    expect(await runDataMigrations(t.prisma, [conversion()])).toEqual([KEY_CREDENTIAL_HASHES]);
    expect(await resolveSession(t.prisma, planted, "sandbox")).toBeNull();
    expect(await t.prisma.auditEvent.count({ where: { event: DATA_MIGRATED_EVENT, subject: `migration:${KEY_CREDENTIAL_HASHES}` } })).toBe(1);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ valid: true });
  });

  it.skipIf(!process.env.DATABASE_URL)("two replicas starting together convert once (the migration advisory lock)", async () => {
    const root = await admin();
    const legacy = await plantSession(root.id);
    const other = await openPostgres(process.env.DATABASE_URL!);
    const second = createPrismaClient(other.adapter);
    try {
      const runs = await Promise.all([runDataMigrations(t.prisma, [conversion()]), runDataMigrations(second, [conversion()])]);
      expect(runs.flat()).toEqual([KEY_CREDENTIAL_HASHES]);
      expect(await resolveSession(t.prisma, legacy, "sandbox")).toMatchObject({ login: "root" });
    } finally {
      await second.$disconnect();
      await other.close();
    }
  });

  it("a conversion that fails leaves neither converted rows nor a ledger row (one transaction)", async () => {
    const root = await admin();
    const legacy = await plantSession(root.id);
    const failing = { name: `data:test-${randomUUID()}`, run: async () => { throw new Error("disk full"); } };
    await expect(runDataMigrations(t.prisma, [keyCredentialHashes(getAuditKey()), failing])).rejects.toThrow(/disk full/);
    expect(await resolveSession(t.prisma, legacy, "sandbox")).toBeNull();
    expect(await t.prisma.$queryRaw<{ name: string }[]>`SELECT name FROM "_rolegate_migrations" WHERE name IN (${KEY_CREDENTIAL_HASHES}, ${failing.name})`).toEqual([]);
  });
});
