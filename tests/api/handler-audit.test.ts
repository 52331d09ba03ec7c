// Operations audited by their own domain service (audit: { recordedBy: "handler",
// events }): the pipeline writes no row for them, so each one's service must write
// its audit row in the transaction of its change. Data-driven over the operation
// registry: every such operation has an entry below (a test fails when one is
// added without one) with a minimal valid input on a world after a real scan and
// mappings refresh, and is called twice through the pipeline:
//  1. with the database refusing every AuditEvent at COMMIT (a deferred constraint
//     trigger): the call must fail and change no table. A change committed in
//     another transaction than its audit row would stay behind and fail this;
//  2. as is: the call succeeds and writes at least one audit row, every new row
//     being one of the operation's declared events.
// sign-in-with-oidc needs an identity provider to exchange its code: its audited
// step (completeOidcSignIn: user, session and row in one transaction) is checked
// the same way, without the code exchange before it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "../support/app-mocks";
import { blueGreenApiView } from "@/lib/bluegreen/api-view";
import { loadBlueGreen } from "@/lib/bluegreen/service";
import type { AuditEventType } from "@/lib/audit/events";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { completeOidcSignIn } from "@/lib/auth/oidc-sign-in";
import type { Role } from "@/lib/auth/permissions";
import type { AnyOperation } from "@/lib/core/operation";
import { runPipeline } from "@/lib/core/pipeline";
import { computeDrift } from "@/lib/drift/compute";
import { migrationOverview } from "@/lib/migration/service";
import { loadCampaign } from "@/lib/reviews/read";
import { runtime } from "@/lib/runtime";
import { createRequestRunner } from "@/lib/workers/request-handlers";
import { asAnonymous, asUser } from "../support/app-harness";
import { PI_ROLE, PROD } from "../support/constants";
import { databaseChecksum } from "../support/db";
import { kubeApi } from "../support/sandbox-kube";
import { until, useApiWorld } from "./support";

const { OPERATIONS } = await import("@/lib/api/operations");

const w = useApiWorld();

type Caller = Role | "anonymous" | { login: string; role: Role };
interface Entry {
  /** The caller; its login is the actor of the rows (sign-in: `actor`). */
  as: Caller | (() => Promise<Caller>);
  /** Builds the state the call needs (before the database is fingerprinted) and answers a minimal valid input. */
  input: () => Promise<unknown>;
  /** What the call may change even when its audit row is refused (whole tables, or columns of a table), and why: by design, outside the audited change. */
  outside?: { tables?: string[]; columns?: Record<string, string[]>; why: string };
  /** After the successful call: what the next entries need (its result), and background work to finish. */
  after?: (data: any) => Promise<void>;
}

const NO_TAG_ROLE = `arn:aws:iam::${PROD}:role/domino/domino-pi-snowflake-export`;
const OPEN_TRUST_ROLE = `arn:aws:iam::${PROD}:role/domino/domino-pi-etl-hourly`;
const state: Record<string, any> = {};
const op = (name: string): AnyOperation => OPERATIONS.find((o) => o.name === name) ?? (() => { throw new Error(`no operation ${name}`); })();
const loginOf = (c: Caller) => (c === "anonymous" ? null : typeof c === "object" ? c.login : `ha-${c}`);

async function signIn(caller: Caller) {
  if (caller === "anonymous") asAnonymous();
  else if (typeof caller === "object") await asUser(caller.login, caller.role);
  else await asUser(`ha-${caller}`, caller);
}

/** A call that must succeed (set-up of later entries). */
async function ok<T = any>(name: string, caller: Caller, input: unknown): Promise<T> {
  await signIn(caller);
  const r = await runPipeline(op(name), input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.data as T;
}

/** Applies approved requests as the app's job runner does. */
const drain = () => createRequestRunner({ ...runtime().requestsDeps(w.prisma), backoff: { tries: 4, baseMs: 1 } }, { leaseMs: 60_000, log: () => {} }, async () => true).drain();
/** Waits for the background run a scan or refresh started (its status leaves "running"). */
async function idle(table: "scan" | "mappingRefresh"): Promise<void> {
  await until(() => (w.prisma[table] as { count(a: object): Promise<number> }).count({ where: { status: "running" } }), (n) => n === 0);
}
const justification = "handler audit test: a minimal valid call";
const item = (serviceAccount: string, roleArn = PI_ROLE) => ({ kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount, roleArn, justification });
const filed = async (serviceAccount: string, roleArn = PI_ROLE) => (await ok("create-request", "requester", item(serviceAccount, roleArn))).id as string;
const clusterId = async (name: string) => (await w.prisma.cluster.findFirstOrThrow({ where: { name } })).id;
const outOfBand = async () => (await computeDrift(w.prisma, w.deps.kinds)).findings.filter((f) => f.kind === "out-of-band" && !f.actual?.ownerArn).map((f) => f.key);
const candidateKey = async (sa: string) => (await migrationOverview(w.prisma)).rows.find((r) => r.cluster === "domino-green" && r.serviceAccount === sa && r.roleArn.endsWith("/domino-irsa-athena-query"))!.key;
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();

/** In order: later entries build on what earlier ones did (the scan, the refresh, filed requests). */
const ENTRIES: Record<string, Entry> = {
  "start-scan": {
    as: "requester",
    input: async () => ({}),
    outside: { tables: ["ScanLease"], why: "the scan lease's row is created (free) once, before the first scan claims it in the audited transaction" },
    after: () => idle("scan"),
  },
  "refresh-mappings": { as: "requester", input: async () => ({}), after: () => idle("mappingRefresh") },
  "create-personal-token": { as: "requester", input: async () => ({ name: "ha-personal", expiresInDays: 1 }) },
  "create-service-token": { as: "admin", input: async () => ({ name: "ha-service", role: "auditor", expiresInDays: 1 }) },
  "create-token": { as: "requester", input: async () => ({ kind: "personal", name: "ha-api", expiresInDays: 1 }) },
  "revoke-token": { as: "requester", input: async () => ({ id: (await ok("create-token", "requester", { kind: "personal", name: "ha-to-revoke", expiresInDays: 1 })).id }) },
  "sign-in-demo-user": {
    as: "anonymous",
    input: async () => {
      const alice = DEMO_USERS.find((u) => u.login === "alice")!;
      await w.prisma.user.upsert({ where: { login: alice.login }, create: { login: alice.login, name: alice.name, role: alice.role, source: "sandbox", mode: "sandbox" }, update: {} });
      return { login: "alice" };
    },
    outside: { tables: ["RateLimit"], why: "the attempt is counted before signing in, so refused and failed attempts count too" },
  },
  "sign-out": { as: "requester", input: async () => ({}) },
  "create-approval-policy-version": {
    as: "admin",
    // Matching no cluster, for the admin role: the policies in force for the entries below stay as they were.
    input: async () => ({ name: "ha-policy-form", previousVersion: 0, requiredApprovals: 1, approverRole: "admin", clusterPattern: "ha-none-*", namespacePattern: "*", rolePattern: "*", active: true }),
  },
  "create-approval-policy": { as: "admin", input: async () => ({ name: "ha-policy-api", requiredApprovals: 1, approverRole: "admin", clusterPattern: "ha-none-*" }) },
  "create-request": { as: "requester", input: async () => item("svc-ha-create") },
  "approve-request": {
    as: "approver",
    input: async () => ({ id: await filed("svc-ha-approve") }),
  },
  "reject-request": { as: "approver", input: async () => ({ id: await filed("svc-ha-reject"), reason: "not needed here" }) },
  "request-changes": { as: "approver", input: async () => ({ id: await filed("svc-ha-changes"), reason: "use another namespace" }) },
  "resubmit-request": {
    as: "requester",
    input: async () => {
      const id = await filed("svc-ha-resubmit");
      await ok("request-changes", "approver", { id, reason: "say which job needs it" });
      return { id, justification: "the nightly sales job needs it" };
    },
  },
  "cancel-request": { as: "requester", input: async () => ({ id: await filed("svc-ha-cancel") }) },
  "retry-request": {
    as: "requester",
    input: async () => {
      const id = await filed("svc-ha-retry");
      await ok("approve-request", "approver", { id });
      w.sandbox.ctx.faults.configure({ failNext: { CreatePodIdentityAssociation: 50 } });
      await drain();
      w.sandbox.ctx.faults.configure({});
      expect((await w.prisma.request.findUniqueOrThrow({ where: { id } })).status).toBe("failed");
      return { id };
    },
  },
  "add-fix-item": { as: "approver", input: async () => ({ id: await filed("svc-ha-fix", NO_TAG_ROLE), check: "trust-allows-pod-identity", item: 0 }) },
  "start-review-campaign": {
    as: "auditor",
    input: async () => ({ name: "ha campaign", scope: { clusters: ["domino-green"], roles: ["domino-irsa-athena-query"], mechanism: "irsa" }, dueAt: days(7) }),
    after: async (data) => void (state.campaign = data.id),
  },
  "decide-review-item": {
    as: async () => ({ login: (await loadCampaign(w.prisma, state.campaign)).items[0]!.reviewer, role: "approver" }),
    input: async () => ({ id: state.campaign, itemId: (await loadCampaign(w.prisma, state.campaign)).items[0]!.id, decision: "keep", comment: "the nightly reports still run" }),
  },
  "close-review-campaign": { as: "auditor", input: async () => ({ id: state.campaign }) },
  "copy-mappings-to-green": { as: "requester", input: async () => ({ blue: "domino-blue", green: "domino-green" }) },
  "repoint-irsa-to-green": { as: "requester", input: async () => ({ blue: "domino-blue", green: "domino-green" }) },
  "clean-up-retired-issuer": { as: "requester", input: async () => ({ issuer: blueGreenApiView(await loadBlueGreen(w.prisma)).retiredIssuers[0]!.issuer }) },
  "resolve-drift": { as: "requester", input: async () => ({ action: "adopt", key: (await outOfBand())[0] }) },
  "bulk-resolve-drift": { as: "requester", input: async () => ({ action: "revoke", keys: (await outOfBand()).slice(1, 3) }) },
  "adopt-drift-baseline": { as: "admin", input: async () => ({}) },
  "file-tightened-trust": { as: "requester", input: async () => ({ arn: OPEN_TRUST_ROLE }) },
  "request-expiry-extension": {
    as: "requester",
    input: async () => {
      const { id } = await ok("create-request", "requester", { ...item("svc-ha-expiry"), mappingExpiresAt: days(10) });
      await ok("approve-request", "approver", { id });
      await drain();
      const applied = await w.prisma.requestItem.findFirstOrThrow({ where: { requestId: id, status: "applied" } });
      return { itemId: applied.id, newExpiresAt: days(17), justification: "the project runs one more week" };
    },
  },
  "restart-stale-pods": { as: "requester", input: async () => ({ clusterId: await clusterId("domino-green"), dryRun: false }) },
  "set-auto-restart": { as: "admin", input: async () => ({ clusterId: await clusterId("domino-green"), namespace: "ha-namespace", enabled: true }) },
  "migrate-to-pod-identity": { as: "requester", input: async () => ({ key: await candidateKey("dmuser-ebrown") }), after: async (data) => void (state.migration = data.id) },
  "remove-irsa-subject": {
    as: "requester",
    input: async () => {
      await ok("approve-request", "approver", { id: state.migration });
      await drain();
      const migration = await w.prisma.request.findUniqueOrThrow({ where: { id: state.migration }, include: { items: true } });
      expect(migration.status, JSON.stringify(migration.items.map((i) => [i.kind, i.status, i.lastErrorMessage]))).toBe("applied");
      return { key: await candidateKey("dmuser-ebrown") };
    },
  },
  "file-template-mapping": {
    as: "requester",
    input: async () => {
      const t = await ok("create-request", "requester", { kind: "template", name: "ha-jobs", clusters: ["domino-green"], namespace: "domino-compute", serviceAccountPattern: "hajob-*", roleArn: PI_ROLE });
      await ok("approve-request", "approver", { id: t.id });
      await drain();
      state.template = t.templateId;
      const k8s = await kubeApi(w.kubeAccess, "domino-green");
      await k8s.createNamespacedServiceAccount({ namespace: "domino-compute", body: { metadata: { name: "hajob-1" } } });
      return { id: t.templateId, cluster: "domino-green", serviceAccount: "hajob-1" };
    },
  },
  "revoke-template": {
    as: "approver",
    input: async () => {
      // The mapping filed above is applied first: a revocation removes only what exists.
      await drain();
      return { id: state.template, justification: "no more jobs under this template" };
    },
  },
};

/** The database refuses every audit row when its transaction commits, while `refusing` is on. */
async function refuseAuditRows(refusing: boolean) {
  await w.prisma.$executeRawUnsafe(
    refusing
      ? `CREATE OR REPLACE FUNCTION ha_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: audit rows are refused'; END $$`
      : `CREATE OR REPLACE FUNCTION ha_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
  );
}

beforeAll(async () => {
  await refuseAuditRows(false);
  await w.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ha_refuse_audit ON "AuditEvent"`);
  await w.prisma.$executeRawUnsafe(`CREATE CONSTRAINT TRIGGER ha_refuse_audit AFTER INSERT ON "AuditEvent" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ha_refuse_audit()`);
});
afterAll(async () => {
  await w.prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ha_refuse_audit ON "AuditEvent"`);
  await w.prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ha_refuse_audit()`);
});

const handlerAudited = OPERATIONS.filter((o) => typeof o.audit === "object" && "recordedBy" in o.audit);
const declared = (o: AnyOperation) => (o.audit as { events: readonly AuditEventType[] }).events;
const COVERED_APART = ["sign-in-with-oidc"];

/** The tables whose fingerprint differs. */
const changedTables = (before: string, after: string) => after.split("\n").filter((line) => !before.split("\n").includes(line)).map((line) => line.split(":")[0]!);

describe("operations audited by their handler", () => {
  it("each declares at least one event, and each has an entry here (or is covered apart)", () => {
    expect(handlerAudited.length).toBeGreaterThan(30);
    for (const o of handlerAudited) expect(declared(o).length, o.name).toBeGreaterThan(0);
    expect([...Object.keys(ENTRIES), ...COVERED_APART].sort()).toEqual(handlerAudited.map((o) => o.name).sort());
  });

  for (const [name, entry] of Object.entries(ENTRIES)) {
    it(`${name}: no change commits without its audit row; a successful call writes one of its declared events`, async () => {
      const operation = op(name);
      const input = await entry.input();
      const caller = typeof entry.as === "function" ? await entry.as() : entry.as;
      await signIn(caller);
      const ignore = entry.outside?.columns ?? {};
      const before = await databaseChecksum(w.prisma, ignore);
      await refuseAuditRows(true);
      const refused = await runPipeline(operation, input).finally(() => refuseAuditRows(false));
      expect(refused.ok, `${name} succeeded although its audit row was refused`).toBe(false);
      const changed = changedTables(before, await databaseChecksum(w.prisma, ignore));
      expect(changed.filter((t) => !entry.outside?.tables?.includes(t)), `${name} committed changes without their audit row`).toEqual([]);

      const lastId = (await w.prisma.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
      const result = await runPipeline(operation, input);
      expect(result.ok, `${name}: ${JSON.stringify(result)}`).toBe(true);
      const rows = await w.prisma.auditEvent.findMany({ where: { id: { gt: lastId } }, orderBy: { id: "asc" }, select: { event: true, actor: true } });
      const actor = name === "sign-in-demo-user" ? "alice" : loginOf(caller);
      const own = rows.filter((r) => r.actor === actor);
      expect(own.length, `${name} wrote no audit row as ${actor}: ${JSON.stringify(rows)}`).toBeGreaterThan(0);
      for (const r of own) expect(declared(operation), `${name} wrote ${r.event}, which it does not declare`).toContain(r.event);
      await entry.after?.((result as { data: unknown }).data);
    }, 120_000);
  }

  it("sign-in-with-oidc's audited step: the user, the session and auth.signed_in commit together or not at all", async () => {
    const config = { roleMap: [{ group: "ha-admins", role: "admin" as const }] };
    const who = { sub: "okta|ha-sam", name: "Sam", groups: ["ha-admins"] };
    const before = await databaseChecksum(w.prisma);
    await refuseAuditRows(true);
    await expect(completeOidcSignIn(w.prisma, config, who, "vitest", "sandbox").finally(() => refuseAuditRows(false))).rejects.toThrow(/audit rows are refused/);
    expect(changedTables(before, await databaseChecksum(w.prisma))).toEqual([]);
    expect(await completeOidcSignIn(w.prisma, config, who, "vitest", "sandbox")).toMatchObject({ ok: true, login: "okta|ha-sam" });
    expect(await w.prisma.auditEvent.count({ where: { actor: "okta|ha-sam", event: "auth.signed_in" } })).toBe(1);
    expect(declared(op("sign-in-with-oidc"))).toContain("auth.signed_in");
  });
});
