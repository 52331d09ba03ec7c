import "server-only";
// Lifecycle operations: Blue/Green moves, the IRSA -> Pod Identity migration,
// drift resolution, stale-pod restarts and expiry extensions. Each files an
// approval-gated request through the domain service the page's button uses
// (which writes the request and its audit row in one transaction); where a
// cluster lives is read from the server's cache, never taken from the client.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { actorOf, callerOf, defineOperation } from "@/lib/core/operation";
import { cleanupInputSchema, fileCleanupRequest, fileCopyRequest, fileRepointRequest, pairInputSchema } from "@/lib/bluegreen/service";
import { resolveDrift, resolveDriftSchema } from "@/lib/drift/resolve";
import { extensionSchema, requestExtension } from "@/lib/expiry/extend";
import { findWatchedCluster } from "@/lib/inventory/find-watched-cluster";
import { fileIrsaCleanup } from "@/lib/migration/file-irsa-cleanup";
import { fileMigration } from "@/lib/migration/file-migration";
import { findCandidate } from "@/lib/migration/service";
import { requestsDeps } from "@/lib/requests";
import { restartDeps } from "@/lib/stale-pods/app-deps";
import { restartStalePods, setAutoRestart } from "@/lib/stale-pods/restart";
import type { PrismaClient } from "@/lib/db/generated/client";

const FILED = z.looseObject({ id: z.uuid().meta({ description: "The filed request (GET /api/v1/requests/{id})" }), status: z.string() });
const FILING_ERRORS = [400, 403, 404, 409] as const;
const candidateKey = z.object({ key: z.string().min(3, "must be a migration candidate key").max(600) });
const migrationDeps = (prisma: PrismaClient) => ({ ...requestsDeps(prisma), kube: restartDeps(getConfig(), prisma).kube });

export const copyMappingsToGreenOp = defineOperation({
  name: "copy-mappings-to-green",
  access: "requests:create",
  input: pairInputSchema,
  handler: (ctx) => fileCopyRequest(requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/bluegreen/copies", status: 201, summary: "Blue/Green: one request creating on Green every association missing there", errors: FILING_ERRORS, output: FILED },
});

export const repointIrsaToGreenOp = defineOperation({
  name: "repoint-irsa-to-green",
  access: "requests:create",
  input: pairInputSchema,
  handler: (ctx) => fileRepointRequest(requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/bluegreen/repoints", status: 201, summary: "Blue/Green: one request adding the Green issuer's IRSA trust statements", errors: FILING_ERRORS, output: FILED },
});

export const cleanUpRetiredIssuerOp = defineOperation({
  name: "clean-up-retired-issuer",
  access: "requests:create",
  input: cleanupInputSchema,
  handler: (ctx) => fileCleanupRequest(requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/bluegreen/cleanups", status: 201, summary: "Blue/Green clean-up: one request removing a retired cluster's issuer from trust policies (refused for a live issuer)", errors: FILING_ERRORS, output: FILED },
});

export const migrateToPodIdentityOp = defineOperation({
  name: "migrate-to-pod-identity",
  access: "requests:create",
  input: candidateKey,
  handler: async (ctx) => fileMigration(migrationDeps(ctx.prisma), actorOf(ctx), await findCandidate(ctx.prisma, ctx.input.key)),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/migrations", status: 201, summary: "IRSA -> Pod Identity step 1 for one candidate: trust, association and pod restart as one request", errors: FILING_ERRORS, output: FILED },
});

export const removeIrsaSubjectOp = defineOperation({
  name: "remove-irsa-subject",
  access: "requests:create",
  input: candidateKey,
  handler: async (ctx) => fileIrsaCleanup(migrationDeps(ctx.prisma), actorOf(ctx), await findCandidate(ctx.prisma, ctx.input.key)),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/migrations/cleanups", status: 201, summary: "Migration clean-up: one request removing the IRSA subject (this SA, this cluster's issuer only)", errors: FILING_ERRORS, output: FILED },
});

export const resolveDriftOp = defineOperation({
  name: "resolve-drift",
  access: "requests:create",
  input: resolveDriftSchema,
  handler: (ctx) => resolveDrift(requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/drift/resolutions", status: 201, summary: "Resolve one drift (adopt, revoke, re-apply, restore): files an approval-gated request", errors: FILING_ERRORS, output: FILED },
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

export const requestExpiryExtensionOp = defineOperation({
  name: "request-expiry-extension",
  access: "requests:create",
  input: extensionSchema,
  handler: (ctx) => requestExtension(requestsDeps(ctx.prisma), actorOf(ctx), ctx.input),
  audit: { recordedBy: "handler", events: ["request.created"] },
  http: { method: "POST", path: "/api/v1/expiry/extensions", status: 201, summary: "Ask to move a mapping's expiry (the mapping's requester; approval-gated)", errors: FILING_ERRORS, output: FILED },
});
