// The authorization matrix: every server action file (lib/actions/*.ts with
// "use server") and every route handler (app/api/**/route.ts, each exported
// method) x every role + anonymous. Files are discovered from the filesystem, so
// a new action or route without an entry here fails. Allowed -> not 401/403/500;
// denied -> 401/403 and the database unchanged (checksum of every table).
// SCIM routes (app/scim/**) take no session or API token at all: the IdP presents
// its own secret (ROLEGATE_SCIM_TOKEN, set below). Their access is "scim-secret":
// every role and anonymous is denied (401, database unchanged); tests/scim covers
// the secret itself.
// How identities are injected: tests/support/app-harness.ts (real Session rows; only
// next/headers, the Prisma singleton and getConfig are replaced).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import "../support/app-mocks";
import { PERMISSIONS, ROLES, type Permission, type Role } from "@/lib/auth/permissions";
import { HTTP_STATUS, type ActionResult } from "@/lib/core/errors";
import { asAnonymous, asUser, harness } from "../support/app-harness";
import { useWorld } from "../support/world";
import { databaseChecksum } from "../support/db";

// Long-running work started by two actions is replaced: the matrix is about who may start it.
vi.mock("@/lib/inventory/refresh-mappings", () => ({ startMappingRefresh: async () => ({ refreshId: "r-1", alreadyRunning: false, done: Promise.resolve([]) }) }));
vi.mock("@/lib/inventory/scan/service", () => ({ startScan: async () => ({ scanId: "s-1", alreadyRunning: false, done: Promise.resolve() }) }));

const ROOT = path.resolve(import.meta.dirname, "../..");
const NO_ID = "00000000-0000-4000-8000-00000000dead";
const asStatus = (r: ActionResult<unknown>) => (r.ok ? 200 : HTTP_STATUS[r.error.code]);
const req = (p: string, method = "GET", body?: unknown) =>
  new Request(`http://localhost${p}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
const params = { params: Promise.resolve({ id: NO_ID }) };
const item = { kind: "create", cluster: "domino-green", accountId: "111122223333", region: "us-east-1", namespace: "domino-compute", serviceAccount: "svc-matrix", roleArn: "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped", justification: "authorization matrix test" };

/** Who may call it: a permission from the one map, "signed-in" (any role) or "public" (also anonymous). */
type Access = Permission | "signed-in" | "public" | "scim-secret";
type Entry = { access: Access; call: () => Promise<number> };
const action = (file: string, name: string, access: Access, input?: unknown): [string, Entry] => [
  `${file}#${name}`,
  { access, call: async () => asStatus(await (await import(`@/lib/actions/${file.replace(/\.ts$/, "")}`))[name](input)) },
];
const route = (file: string, method: string, access: Access, run: (h: (...a: unknown[]) => Promise<Response>) => Promise<Response>): [string, Entry] => [
  `${file}#${method}`,
  { access, call: async () => (await run((await import(`@/${file.replace(/\.ts$/, "")}`))[method])).status },
];

const MATRIX = new Map<string, Entry>([
  action("approve-request.ts", "approveRequestAction", "requests:review", { id: NO_ID }),
  action("cancel-request.ts", "cancelRequestAction", "requests:cancel", { id: NO_ID }),
  action("reject-request.ts", "rejectRequestAction", "requests:review", { id: NO_ID, reason: "not needed" }),
  action("retry-request.ts", "retryRequestAction", "requests:retry", { id: NO_ID }),
  action("request-changes.ts", "requestChangesAction", "requests:review", { id: NO_ID, reason: "not needed" }),
  action("resubmit-request.ts", "resubmitRequestAction", "requests:create", { id: NO_ID }),
  action("add-fix-item.ts", "addFixItemAction", "requests:create", { id: NO_ID, check: "trust-allows-pod-identity", item: 0 }),
  action("create-request.ts", "createRequestAction", "requests:create", item),
  action("run-prechecks.ts", "runPrechecksAction", "requests:create", item),
  action("resolve-drift.ts", "resolveDriftAction", "requests:create", { action: "adopt", key: "no-such/drift/key" }),
  action("start-review-campaign.ts", "startReviewCampaignAction", "reviews:manage", { name: "matrix campaign", scope: { clusters: ["no-such-cluster"] }, dueAt: "2099-01-01T00:00:00Z" }),
  action("decide-review-item.ts", "decideReviewItemAction", "reviews:decide", { id: NO_ID, itemId: NO_ID, decision: "keep", comment: "still needed" }),
  action("close-review-campaign.ts", "closeReviewCampaignAction", "reviews:manage", { id: NO_ID }),
  action("bulk-resolve-drift.ts", "bulkResolveDriftAction", "requests:create", { action: "adopt", keys: ["no-such/drift/key"] }),
  action("adopt-baseline.ts", "adoptBaselineAction", "drift:baseline", {}),
  action("copy-mappings-to-green.ts", "copyMappingsToGreenAction", "requests:create", { blue: "domino-blue", green: "domino-green" }),
  action("repoint-irsa-to-green.ts", "repointIrsaToGreenAction", "requests:create", { blue: "domino-blue", green: "domino-green" }),
  action("clean-up-retired-issuer.ts", "cleanUpRetiredIssuerAction", "requests:create", { issuer: "oidc.eks.us-east-1.amazonaws.com/id/NOSUCHISSUER" }),
  action("restart-stale-pods.ts", "restartStalePodsAction", "requests:create", { clusterId: NO_ID, dryRun: true }),
  action("revoke-template.ts", "revokeTemplateAction", "templates:revoke", { id: NO_ID, justification: "matrix revocation check" }),
  action("file-template-mapping.ts", "fileTemplateMappingAction", "requests:create", { id: NO_ID, cluster: "domino-green", serviceAccount: "dmjob-matrix" }),
  action("migrate-to-pod-identity.ts", "migrateToPodIdentityAction", "requests:create", { key: "no-such/cluster/sa/role" }),
  action("remove-irsa-subject.ts", "removeIrsaSubjectAction", "requests:create", { key: "no-such/cluster/sa/role" }),
  action("file-tightened-trust.ts", "fileTightenedTrustAction", "requests:create", { arn: "arn:aws:iam::111122223333:role/domino/none" }),
  action("request-expiry-extension.ts", "requestExpiryExtensionAction", "requests:create", { itemId: NO_ID, newExpiresAt: "2030-01-01T00:00:00Z", justification: "matrix extension check" }),
  action("set-auto-restart.ts", "setAutoRestartAction", "lifecycle:manage", { clusterId: NO_ID, namespace: "domino-compute", enabled: true }),
  action("refresh-mappings.ts", "refreshMappings", "mappings:refresh", {}),
  action("start-scan.ts", "startScan", "inventory:scan", {}),
  action("create-personal-token.ts", "createPersonalTokenAction", "tokens:personal", { name: "matrix", expiresInDays: 1 }),
  action("create-service-token.ts", "createServiceTokenAction", "tokens:service", { name: "matrix", role: "auditor", expiresInDays: 1 }),
  action("revoke-token.ts", "revokeTokenAction", "tokens:personal", { id: NO_ID }),
  action("create-approval-policy-version.ts", "createApprovalPolicyVersionAction", "policies:manage", { name: "matrix", previousVersion: 0, requiredApprovals: 1, approverRole: "approver", clusterPattern: "*", namespacePattern: "*", rolePattern: "*", active: true }),
  action("sign-out-everywhere.ts", "signOutEverywhere", "signed-in"),
  action("keep-session-alive.ts", "keepSessionAlive", "signed-in", {}),
  action("sign-out.ts", "signOut", "public"),
  action("sign-in-demo-user.ts", "signInDemoUser", "public", { login: "nobody-here" }),
  action("refresh-prechecks.ts", "refreshPrechecksAction", "requests:precheck", { id: NO_ID }),
  route("app/api/health/route.ts", "GET", "public", (h) => h()),
  route("app/api/v1/openapi.json/route.ts", "GET", "public", (h) => h()),
  route("app/api/auth/oidc/start/route.ts", "GET", "public", (h) => h(req("/api/auth/oidc/start"))),
  route("app/api/auth/oidc/callback/route.ts", "GET", "public", (h) => h(req("/api/auth/oidc/callback?code=x&state=y"))),
  route("app/api/v1/audit/route.ts", "GET", "audit:read", (h) => h(req("/api/v1/audit"))),
  route("app/api/v1/audit/verify/route.ts", "GET", "audit:verify", (h) => h()),
  route("app/api/v1/audit/checkpoints/route.ts", "POST", "audit:checkpoint", (h) => h(req("/api/v1/audit/checkpoints", "POST", {}))),
  route("app/api/v1/mappings/route.ts", "GET", "mappings:read", (h) => h(req("/api/v1/mappings"))),
  route("app/api/v1/mappings/refreshes/[id]/route.ts", "GET", "mappings:read", (h) => h(req(`/x`), params)),
  route("app/api/v1/scans/[id]/route.ts", "GET", "inventory:read", (h) => h(req(`/x`), params)),
  route("app/api/v1/bluegreen/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/bluegreen"))),
  route("app/api/v1/prechecks/route.ts", "POST", "requests:create", (h) => h(req("/api/v1/prechecks", "POST", item))),
  route("app/api/v1/requests/route.ts", "GET", "requests:read", (h) => h(req("/api/v1/requests"))),
  route("app/api/v1/requests/route.ts", "POST", "requests:create", (h) => h(req("/api/v1/requests", "POST", item))),
  route("app/api/v1/requests/[id]/route.ts", "GET", "requests:read", (h) => h(req(`/x`), params)),
  route("app/api/v1/reviews/route.ts", "GET", "reviews:read", (h) => h(req(`/x`))),
  route("app/api/v1/reviews/route.ts", "POST", "reviews:manage", (h) => h(req(`/x`, "POST", { name: "matrix campaign", scope: { clusters: ["no-such-cluster"] }, dueAt: "2099-01-01T00:00:00Z" }))),
  route("app/api/v1/reviews/[id]/route.ts", "GET", "reviews:read", (h) => h(req(`/x`), params)),
  route("app/api/v1/reviews/[id]/close/route.ts", "POST", "reviews:manage", (h) => h(req(`/x`, "POST", {}), params)),
  route("app/api/v1/reviews/[id]/report/route.ts", "GET", "reviews:read", (h) => h(req(`/x?format=csv`), params)),
  route("app/api/v1/reviews/[id]/items/[itemId]/decision/route.ts", "POST", "reviews:decide", (h) => h(req(`/x`, "POST", { decision: "keep", comment: "still needed" }), { params: Promise.resolve({ id: NO_ID, itemId: NO_ID }) })),
  route("app/api/v1/requests/[id]/prechecks/route.ts", "POST", "requests:precheck", (h) => h(req(`/x`, "POST", {}), params)),
  route("app/api/v1/requests/[id]/approve/route.ts", "POST", "requests:review", (h) => h(req(`/x`, "POST", {}), params)),
  route("app/api/v1/requests/[id]/reject/route.ts", "POST", "requests:review", (h) => h(req(`/x`, "POST", { reason: "not needed" }), params)),
  route("app/api/v1/requests/[id]/cancel/route.ts", "POST", "requests:cancel", (h) => h(req(`/x`, "POST", {}), params)),
  route("app/api/v1/requests/[id]/retry/route.ts", "POST", "requests:retry", (h) => h(req(`/x`, "POST", {}), params)),
  route("app/api/v1/requests/[id]/request-changes/route.ts", "POST", "requests:review", (h) => h(req(`/x`, "POST", { reason: "not needed" }), params)),
  route("app/api/v1/requests/[id]/resubmit/route.ts", "POST", "requests:create", (h) => h(req(`/x`, "POST", {}), params)),
  route("app/api/v1/requests/[id]/fixes/route.ts", "POST", "requests:create", (h) => h(req(`/x`, "POST", { check: "trust-allows-pod-identity", item: 0 }), params)),
  route("app/scim/v2/Users/route.ts", "GET", "scim-secret", (h) => h(req("/scim/v2/Users"))),
  route("app/scim/v2/Users/route.ts", "POST", "scim-secret", (h) => h(req("/scim/v2/Users", "POST", { userName: "matrix@example.com" }))),
  route("app/scim/v2/Users/[id]/route.ts", "GET", "scim-secret", (h) => h(req("/x"), params)),
  route("app/scim/v2/Users/[id]/route.ts", "PUT", "scim-secret", (h) => h(req("/x", "PUT", { userName: "matrix@example.com", active: false }), params)),
  route("app/scim/v2/Users/[id]/route.ts", "PATCH", "scim-secret", (h) => h(req("/x", "PATCH", { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] }), params)),
  route("app/scim/v2/Users/[id]/route.ts", "DELETE", "scim-secret", (h) => h(req("/x", "DELETE"), params)),
  route("app/api/v1/service-accounts/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/service-accounts"))),
  route("app/api/v1/roles/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/roles"))),
  route("app/api/v1/roles/[arn]/route.ts", "GET", "inventory:read", (h) => h(req("/x"), { params: Promise.resolve({ arn: encodeURIComponent("arn:aws:iam::111122223333:role/domino/none") }) })),
  route("app/api/v1/roles/[arn]/tightened-trust/route.ts", "GET", "inventory:read", (h) => h(req("/x"), { params: Promise.resolve({ arn: encodeURIComponent("arn:aws:iam::111122223333:role/domino/none") }) })),
  route("app/api/v1/roles/[arn]/tightened-trust/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", {}), { params: Promise.resolve({ arn: encodeURIComponent("arn:aws:iam::111122223333:role/domino/none") }) })),
  route("app/api/v1/findings/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/findings"))),
  route("app/api/v1/managed-policies/route.ts", "GET", "requests:create", (h) => h(req("/api/v1/managed-policies?query=S3"))),
  route("app/api/v1/role-choices/route.ts", "GET", "requests:create", (h) => h(req("/api/v1/role-choices?q=etl&limit=5"))),
  route("app/api/v1/clusters/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/clusters"))),
  route("app/api/v1/scans/route.ts", "POST", "inventory:scan", (h) => h(req("/api/v1/scans", "POST", {}))),
  route("app/api/v1/mappings/refreshes/route.ts", "POST", "mappings:refresh", (h) => h(req("/api/v1/mappings/refreshes", "POST", {}))),
  route("app/api/v1/approval-policies/route.ts", "GET", "policies:manage", (h) => h(req("/api/v1/approval-policies"))),
  route("app/api/v1/approval-policies/route.ts", "POST", "policies:manage", (h) => h(req("/api/v1/approval-policies", "POST", { name: "matrix-api", requiredApprovals: 1, approverRole: "approver" }))),
  route("app/api/v1/tokens/route.ts", "GET", "tokens:personal", (h) => h(req("/api/v1/tokens"))),
  route("app/api/v1/tokens/route.ts", "POST", "tokens:personal", (h) => h(req("/api/v1/tokens", "POST", { kind: "personal", name: "matrix-api", expiresInDays: 1 }))),
  route("app/api/v1/tokens/[id]/route.ts", "DELETE", "tokens:personal", (h) => h(req("/x", "DELETE"), params)),
  route("app/api/v1/bluegreen/copies/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { blue: "domino-blue", green: "domino-green" }))),
  route("app/api/v1/bluegreen/repoints/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { blue: "domino-blue", green: "domino-green" }))),
  route("app/api/v1/bluegreen/cleanups/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { issuer: "oidc.eks.us-east-1.amazonaws.com/id/NOSUCHISSUER" }))),
  route("app/api/v1/migrations/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { key: "no-such/cluster/sa/role" }))),
  route("app/api/v1/migrations/cleanups/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { key: "no-such/cluster/sa/role" }))),
  route("app/api/v1/drift/resolutions/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { action: "adopt", key: "no-such/drift/key" }))),
  route("app/api/v1/drift/bulk-resolutions/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { action: "adopt", keys: ["no-such/drift/key"] }))),
  route("app/api/v1/drift/baseline/route.ts", "POST", "drift:baseline", (h) => h(req("/x", "POST", {}))),
  route("app/api/v1/stale-pods/restarts/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { clusterId: NO_ID, dryRun: true }))),
  route("app/api/v1/stale-pods/auto-restart/route.ts", "POST", "lifecycle:manage", (h) => h(req("/x", "POST", { clusterId: NO_ID, namespace: "domino-compute", enabled: true }))),
  route("app/api/v1/templates/route.ts", "GET", "requests:read", (h) => h(req("/api/v1/templates"))),
  route("app/api/v1/templates/[id]/route.ts", "GET", "requests:read", (h) => h(req("/x"), params)),
  route("app/api/v1/templates/[id]/mappings/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { cluster: "domino-green", serviceAccount: "dmjob-matrix" }), params)),
  route("app/api/v1/templates/[id]/revocations/route.ts", "POST", "templates:revoke", (h) => h(req("/x", "POST", { justification: "matrix revocation check" }), params)),
  route("app/api/v1/drift/route.ts", "GET", "mappings:read", (h) => h(req("/api/v1/drift?kind=out-of-band"))),
  route("app/api/v1/expiry/route.ts", "GET", "requests:read", (h) => h(req("/api/v1/expiry"))),
  route("app/api/v1/migrations/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/migrations?stage=to-migrate"))),
  route("app/api/v1/stale-pods/route.ts", "GET", "mappings:read", (h) => h(req("/api/v1/stale-pods"))),
  route("app/api/v1/usage/route.ts", "GET", "inventory:read", (h) => h(req("/api/v1/usage?scans=5"))),
  route("app/api/v1/reviews/mine/route.ts", "GET", "reviews:read", (h) => h(req("/api/v1/reviews/mine"))),
  route("app/api/v1/expiry/extensions/route.ts", "POST", "requests:create", (h) => h(req("/x", "POST", { itemId: NO_ID, newExpiresAt: "2030-01-01T00:00:00Z", justification: "matrix extension check" }))),
]);

/** Entries allowed to answer 500 when permitted (known bugs). Empty: every allowed call must answer without a 500. */
const KNOWN_500 = new Set<string>();

function discovered(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(path.join(ROOT, "lib/actions")).filter((f) => f.endsWith(".ts"))) {
    const src = readFileSync(path.join(ROOT, "lib/actions", f), "utf8");
    if (!/^\s*["']use server["']/.test(src)) continue;
    for (const m of src.matchAll(/export\s+(?:async\s+function|const)\s+(\w+)/g)) out.push(`${f}#${m[1]}`);
  }
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (e.name === "route.ts") {
        const src = readFileSync(path.join(ROOT, rel), "utf8");
        for (const m of src.matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${rel}#${m[1]}`);
      }
    }
  };
  walk("app/api");
  walk("app/scim");
  return out.sort();
}

function allowed(access: Access, role: Role | "anonymous"): boolean {
  if (access === "public") return true;
  if (access === "scim-secret") return false;
  if (role === "anonymous") return false;
  return access === "signed-in" || (PERMISSIONS[access] as readonly Role[]).includes(role);
}

// The app harness points at this world: sessions, tokens and the request routes run on its database and sandbox.
const w = useWorld({ sandbox: true, app: true, reset: "once", appEnv: { ROLEGATE_SCIM_TOKEN: "matrix-scim-secret-never-sent-by-the-matrix-0123456789" } });

describe("authorization matrix", () => {
  it("has an entry for every server action and every route handler method, and no stale ones", () => {
    expect([...MATRIX.keys()].sort()).toEqual(discovered());
  });

  it("auditors change nothing: they hold only read permissions (and their own tokens)", () => {
    const theirs = Object.entries(PERMISSIONS).filter(([, roles]) => (roles as readonly Role[]).includes("auditor")).map(([p]) => p);
    // reviews:manage: issue 14 lets auditors start and close access review campaigns (records only, no AWS change; revokes are the reviewers').
    for (const p of theirs) expect(p, p).toMatch(/:(read|verify)$|^tokens:personal$|^reviews:manage$/);
  });

  for (const [key, entry] of MATRIX) {
    for (const role of [...ROLES, "anonymous"] as const) {
      const expectAllowed = allowed(entry.access, role);
      it(`${key} as ${role}: ${expectAllowed ? "allowed" : "denied"}`, async () => {
        if (role === "anonymous") asAnonymous();
        else await asUser(`matrix-${role}`, role);
        const before = expectAllowed ? "" : await databaseChecksum(w.prisma);
        const status = await entry.call();
        if (expectAllowed) {
          const refused = KNOWN_500.has(key) ? [401, 403] : [401, 403, 500];
          expect(refused, `${key} as ${role} answered ${status}`).not.toContain(status);
        } else {
          expect([401, 403], `${key} as ${role} answered ${status}`).toContain(status);
          expect(await databaseChecksum(w.prisma)).toBe(before);
        }
      }, 30_000);
    }
  }

  it("a forged session cookie is anonymous", async () => {
    asAnonymous();
    harness.cookies.set("rolegate_session", "forged-token-value");
    const { approveRequestAction } = await import("@/lib/actions/approve-request");
    expect(asStatus(await approveRequestAction({ id: NO_ID }))).toBe(401);
  });
});
