import "server-only";
// Lifecycle operations: Blue/Green moves, the IRSA -> Pod Identity migration,
// drift resolution, stale-pod restarts and expiry extensions. Each files an
// approval-gated request through the domain service the page's button uses
// (which writes the request and its audit row in one transaction); where a
// cluster lives is read from the server's cache, never taken from the client.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { roleArnSchema } from "@/lib/config/schema";
import { actorOf, callerOf, defineOperation, type HttpSpec, type Operation } from "@/lib/core/operation";
import { blueGreenApiView } from "@/lib/bluegreen/api-view";
import { cleanupInputSchema, fileCleanupRequest, fileCopyRequest, fileRepointRequest, loadBlueGreen, pairInputSchema } from "@/lib/bluegreen/service";
import { resolveDrift, resolveDriftSchema } from "@/lib/drift/resolve";
import { bulkDriftSchema, bulkResolveDrift } from "@/lib/drift/bulk";
import { adoptBaseline } from "@/lib/drift/baseline";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { extensionSchema, requestExtension } from "@/lib/expiry/extend";
import { findWatchedCluster } from "@/lib/inventory/find-watched-cluster";
import { fileIrsaCleanup } from "@/lib/migration/file-irsa-cleanup";
import { fileMigration } from "@/lib/migration/file-migration";
import { findCandidate } from "@/lib/migration/service";
import { runtime } from "@/lib/runtime";
import { fileTightenedTrust } from "@/lib/tightening/file-tightening";
import { previewTightenedTrust } from "@/lib/tightening/preview";
import { restartDeps } from "@/lib/stale-pods/app-deps";
import { restartStalePods, setAutoRestart } from "@/lib/stale-pods/restart";
import type { PrismaClient } from "@/lib/db/generated/client";

const FILED = z.looseObject({ id: z.uuid().meta({ description: "The filed request (GET /api/v1/requests/{id})" }), status: z.string() });

/** An operation that files an approval-gated request: the domain service writes the request and its `request.created` row. */
function filingOperation<S extends z.ZodType, T>(op: { name: string; input: S; handler: Operation<S, T>["handler"]; path: HttpSpec["path"]; summary: string; access?: Operation["access"]; errors?: HttpSpec["errors"] }) {
  return defineOperation({
    name: op.name,
    access: op.access ?? "requests:create",
    input: op.input,
    handler: op.handler,
    audit: { recordedBy: "handler", events: ["request.created"] },
    http: { method: "POST", path: op.path, status: 201, summary: op.summary, errors: op.errors ?? FILING_ERRORS, output: FILED },
  });
}
const FILING_ERRORS = [400, 403, 404, 409] as const;
const candidateKey = z.object({ key: z.string().min(3, "must be a migration candidate key").max(600) });
const migrationDeps = (prisma: PrismaClient) => ({ ...runtime().requestsDeps(prisma), kube: restartDeps(getConfig(), prisma).kube });

const roleArns = z.array(z.string());
const blueGreenOutput = z.object({
  pairs: z.array(
    z.object({
      name: z.string(),
      blue: z.string(),
      green: z.string(),
      source: z.enum(["name", "configured"]).optional(),
      error: z.string().optional(),
      copies: z.array(z.looseObject({ namespace: z.string(), serviceAccount: z.string(), roleArn: z.string() })).optional(),
      skipped: z.array(z.looseObject({ namespace: z.string(), serviceAccount: z.string(), roleArn: z.string(), reason: z.string() })).optional(),
      repoint: z.array(z.object({ roleArn: z.string(), subjects: z.array(z.string()) })).optional(),
      repointBlocked: z.array(z.object({ roleArn: z.string(), reason: z.string() })).optional(),
      repointLeftOut: z.array(z.object({ roleArn: z.string(), reasons: z.array(z.string()) })).optional(),
    }),
  ),
  retiredIssuers: z.array(z.object({ issuer: z.string(), roles: roleArns })).meta({ description: "EKS cluster issuers known to be retired (clean-up candidates)" }),
  otherIssuers: z.array(z.object({ issuer: z.string(), kind: z.enum(["non-eks", "unknown"]), roles: roleArns })).meta({ description: "Issuers never offered for clean-up: other providers (non-eks) and EKS issuers not known to be retired (unknown)" }),
});

export const getBlueGreenOp = defineOperation({
  name: "get-bluegreen",
  access: "inventory:read",
  input: z.object({}),
  handler: async (ctx) => blueGreenApiView(await loadBlueGreen(ctx.prisma)),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/bluegreen",
    status: 200,
    summary: "Blue/Green pairs of the latest scan (copies, re-points, what is left out and why), retired EKS issuers, and other issuers never offered for clean-up",
    output: blueGreenOutput,
  },
});

export const copyMappingsToGreenOp = filingOperation({ name: "copy-mappings-to-green", input: pairInputSchema, handler: (ctx) => fileCopyRequest(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input), path: "/api/v1/bluegreen/copies", summary: "Blue/Green: one request creating on Green every association missing there" });

export const repointIrsaToGreenOp = filingOperation({ name: "repoint-irsa-to-green", input: pairInputSchema, handler: (ctx) => fileRepointRequest(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input), path: "/api/v1/bluegreen/repoints", summary: "Blue/Green: one request adding the Green issuer's IRSA trust statements" });

export const cleanUpRetiredIssuerOp = filingOperation({ name: "clean-up-retired-issuer", input: cleanupInputSchema, handler: (ctx) => fileCleanupRequest(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input), path: "/api/v1/bluegreen/cleanups", summary: "Blue/Green clean-up: one request removing a retired cluster's issuer from trust policies (refused for a live issuer)" });

export const migrateToPodIdentityOp = filingOperation({ name: "migrate-to-pod-identity", input: candidateKey, handler: async (ctx) => fileMigration(migrationDeps(ctx.prisma), actorOf(ctx), await findCandidate(ctx.prisma, ctx.input.key)), path: "/api/v1/migrations", summary: "IRSA -> Pod Identity step 1 for one candidate: trust, association and pod restart as one request" });

export const removeIrsaSubjectOp = filingOperation({ name: "remove-irsa-subject", input: candidateKey, handler: async (ctx) => fileIrsaCleanup(migrationDeps(ctx.prisma), actorOf(ctx), await findCandidate(ctx.prisma, ctx.input.key)), path: "/api/v1/migrations/cleanups", summary: "Migration clean-up: one request removing the IRSA subject (this SA, this cluster's issuer only)" });

export const resolveDriftOp = filingOperation({ name: "resolve-drift", input: resolveDriftSchema, handler: (ctx) => resolveDrift(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input), path: "/api/v1/drift/resolutions", summary: "Resolve one drift (adopt, revoke, re-apply, restore): files an approval-gated request" });

export const bulkResolveDriftOp = filingOperation({ name: "bulk-resolve-drift", input: bulkDriftSchema, handler: (ctx) => bulkResolveDrift(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input), path: "/api/v1/drift/bulk-resolutions", summary: "Adopt or revoke several drifts in ONE request (keys accountId/region/cluster/namespace/serviceAccount); an unknown key or an action a finding does not offer refuses the whole call" });

export const adoptDriftBaselineOp = filingOperation({
  name: "adopt-drift-baseline",
  access: "drift:baseline",
  input: z.object({}),
  handler: async (ctx) => ({ status: "pending", ...(await adoptBaseline(runtime().requestsDeps(ctx.prisma), actorOf(ctx), (await getInventoryView(ctx.prisma))?.analysis.findings ?? null)) }),
  path: "/api/v1/drift/baseline",
  summary: "Admins: adopt every association created outside RoleGate as the baseline in ONE request; those with findings in the latest scan are set apart (listed) for a decision each",
});

export const restartStalePodsOp = defineOperation({
  name: "restart-stale-pods",
  access: "requests:create",
  input: z.object({ clusterId: z.uuid("must be a watched cluster id"), namespace: z.string().min(1).max(63).optional(), dryRun: z.boolean().default(true) }),
  async handler(ctx) {
    // Where the cluster lives comes from the server's cache, never from the client.
    const c = await findWatchedCluster(ctx.prisma, ctx.input.clusterId);
    const ref = { accountId: c.accountId, region: c.region, cluster: c.name, ...(c.arn ? { clusterArn: c.arn } : {}) };
    return restartStalePods(restartDeps(getConfig(), ctx.prisma), actorOf(ctx), ref, { namespace: ctx.input.namespace, dryRun: ctx.input.dryRun });
  },
  // A dry run writes nothing; otherwise a request (request.created) or, where auto-restart is on, the restarts themselves.
  audit: { recordedBy: "handler", events: ["request.created", "pod.restarted", "pod.restart_failed"] },
  http: { method: "POST", path: "/api/v1/stale-pods/restarts", status: 200, summary: "Restart the stale pods of a watched cluster (dryRun defaults to true): a request, or immediate where auto-restart is on", errors: FILING_ERRORS, output: z.looseObject({}) },
});

export const setAutoRestartOp = defineOperation({
  name: "set-auto-restart",
  access: "lifecycle:manage",
  input: z.object({ clusterId: z.uuid("must be a watched cluster id"), namespace: z.string().min(1).max(63), enabled: z.boolean() }),
  async handler(ctx) {
    const c = await findWatchedCluster(ctx.prisma, ctx.input.clusterId);
    const row = await setAutoRestart(ctx.prisma, callerOf(ctx).login, { accountId: c.accountId, region: c.region, cluster: c.name, namespace: ctx.input.namespace, enabled: ctx.input.enabled });
    return { namespace: row.namespace, autoRestart: row.autoRestart };
  },
  audit: { recordedBy: "handler", events: ["lifecycle.auto_restart_set"] },
  http: { method: "POST", path: "/api/v1/stale-pods/auto-restart", status: 200, summary: "Admins: restart a namespace's stale pods without a request (or stop doing so)", errors: [400, 403, 404], output: z.object({ namespace: z.string(), autoRestart: z.boolean() }) },
});

export const requestExpiryExtensionOp = filingOperation({ name: "request-expiry-extension", input: extensionSchema, handler: (ctx) => requestExtension(runtime().requestsDeps(ctx.prisma), actorOf(ctx), ctx.input), path: "/api/v1/expiry/extensions", summary: "Ask to move a mapping's expiry (the mapping's requester; approval-gated)" });

const roleArnInput = z.object({ arn: roleArnSchema });
const impactRow = z.object({
  cluster: z.string(), namespace: z.string(), serviceAccount: z.string(), clusterArn: z.string(), associationId: z.string(), sessionTags: z.boolean(),
  outcome: z.enum(["keeps", "breaks", "already-refused"]), reason: z.string(),
});

export const getTightenedTrustOp = defineOperation({
  name: "get-tightened-trust",
  access: "inventory:read",
  input: roleArnInput,
  handler: (ctx) => previewTightenedTrust(runtime().requestsDeps(ctx.prisma), ctx.input.arn),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/roles/{arn}/tightened-trust",
    status: 200,
    summary: "Tighter Pod Identity trust for a role trusting pods.eks.amazonaws.com without conditions: the proposed document and which cached associations keep working or break under it",
    errors: [400, 404, 503],
    output: z.object({
      roleArn: z.string(), open: z.boolean(), problem: z.string().nullable(), current: z.string(), proposed: z.string().nullable(), diff: z.string().nullable(), baseHash: z.string(),
      impact: z.array(impactRow),
    }),
  },
});

export const fileTightenedTrustOp = filingOperation({
  name: "file-tightened-trust",
  input: roleArnInput.extend({ justification: z.string().trim().min(10).max(2000).optional() }),
  handler: (ctx) => fileTightenedTrust(runtime().requestsDeps(ctx.prisma), actorOf(ctx), { roleArn: ctx.input.arn, justification: ctx.input.justification }),
  path: "/api/v1/roles/{arn}/tightened-trust",
  summary: "File the tightened trust of a role as one iam-trust-update item (IAM team approval; apply refuses if the trust changed since)",
  errors: [...FILING_ERRORS, 503],
});
