import "server-only";
// What the lifecycle pages show, as GETs: /drift, /expiry, /migration and
// /stale-pods. Each reads through the same domain functions as its page (with the
// page's permission and, for /expiry, the page's scoping) and writes nothing; the
// actions these pages offer are the POSTs of ./lifecycle.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { runtime } from "@/lib/runtime";
import { callerOf, defineOperation } from "@/lib/core/operation";
import { findingsOfKind } from "@/lib/drift/compute";
import { currentDrift } from "@/lib/drift/current";
import { actionsOf } from "@/lib/drift/resolve";
import { expiryScope, mayExtend, timeBoundMappings } from "@/lib/expiry/extend";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { MIGRATION_SORTS, MIGRATION_STAGES, migrationFacets, queryMigrationRows, stageOf } from "@/lib/migration/query";
import { migrationOverview } from "@/lib/migration/service";
import { stalePodsOverview } from "@/lib/stale-pods/overview";
import { opt, paging } from "./query-params";
import { page } from "./schemas";

const DRIFT_KINDS = ["out-of-band", "missing", "changed"] as const;
const oneOf = (values: readonly string[]) => `must be one of ${values.join(", ")}`;
const associationState = z.looseObject({ roleArn: z.string(), targetRoleArn: z.string().nullable(), associationId: z.string().nullable().optional() });

export const getDriftOp = defineOperation({
  name: "get-drift",
  access: "mappings:read",
  input: z
    .object({
      kind: opt(z.enum(DRIFT_KINDS, oneOf(DRIFT_KINDS))),
      // An estate taken over late has every association out of band: the findings come in pages.
      page: paging.page,
      pageSize: opt(z.coerce.number().int().min(10, "must be 10 to 1000").max(1000, "must be 10 to 1000")).transform((v) => v ?? 500),
      // The estate baseline analyses the latest scan: asked for, not computed on every read.
      baseline: opt(z.enum(["true", "false"], "must be true or false")).transform((v) => v === "true"),
    })
    .strict(),
  async handler({ prisma, input }) {
    const kinds = runtime().kinds;
    const drift = await currentDrift({ prisma, kinds });
    const report = await drift.report;
    const matching = findingsOfKind(report, input.kind);
    const from = (input.page - 1) * input.pageSize;
    const findings = matching.slice(from, from + input.pageSize).map((f) => ({ ...f, actions: actionsOf(f) }));
    const paged = { total: matching.total, page: input.page, pageSize: input.pageSize, pages: Math.max(1, Math.ceil(matching.total / input.pageSize)) };
    const result = { computedAt: report.computedAt, clusters: report.clusters, counts: report.counts, ...paged, findings };
    if (!input.baseline) return result;
    // As on the page: a baseline is offered only while something was created outside RoleGate.
    if (report.counts["out-of-band"] === 0) return { ...result, baseline: null };
    const plan = await drift.baseline((await getInventoryView(prisma))?.analysis.findings ?? null);
    return {
      ...result,
      baseline: { adopt: plan.adopt.map((f) => f.key), setApart: plan.setApart.map((s) => ({ key: s.finding.key, findings: s.findings })), summary: plan.summary, scanned: plan.scanned },
    };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/drift",
    status: 200,
    summary:
      "Drift between what RoleGate approved and the association cache of the last mappings refresh (out-of-band, missing, changed), a page of findings (pageSize 10-1000, default 500), each with the actions POST /api/v1/drift/resolutions accepts for it; counts cover every kind whatever `kind` filters; baseline=true adds the estate baseline POST /api/v1/drift/baseline would file (null when nothing is out of band)",
    errors: [400],
    output: z.object({
      computedAt: z.iso.datetime(),
      clusters: z.array(z.object({ accountId: z.string(), region: z.string(), name: z.string(), lastRefreshedAt: z.string().nullable(), lastRefreshError: z.string().nullable() })),
      counts: z.object({ "out-of-band": z.number().int(), missing: z.number().int(), changed: z.number().int() }),
      total: z.number().int().meta({ description: "Findings matching `kind` (all pages)" }),
      page: z.number().int(),
      pageSize: z.number().int(),
      pages: z.number().int(),
      findings: z.array(
        z.looseObject({
          kind: z.enum(DRIFT_KINDS),
          key: z.string().meta({ description: "accountId/region/cluster/namespace/serviceAccount: the key of POST /api/v1/drift/resolutions" }),
          cluster: z.string(),
          namespace: z.string(),
          serviceAccount: z.string(),
          approved: associationState.optional(),
          actual: associationState.optional(),
          differences: z.array(z.string()),
          actions: z.array(z.enum(["adopt", "revoke", "reapply", "restore"])),
        }),
      ),
      baseline: z
        .object({
          adopt: z.array(z.string()).meta({ description: "Keys the one baseline request would adopt" }),
          setApart: z.array(z.object({ key: z.string(), findings: z.array(z.looseObject({ id: z.string(), severity: z.string(), title: z.string() })) })),
          summary: z.looseObject({ total: z.number().int() }),
          scanned: z.boolean().meta({ description: "false before the first scan: every association is then set apart" }),
        })
        .nullable()
        .optional(),
    }),
  },
});

export const listExpiringMappingsOp = defineOperation({
  name: "list-expiring-mappings",
  access: "requests:read",
  input: z.object({}).strict(),
  async handler(ctx) {
    const user = callerOf(ctx);
    const scope = expiryScope(user);
    const rows = await timeBoundMappings(ctx.prisma, runtime().kinds, scope);
    return {
      onlyMine: scope !== undefined,
      mappings: rows.map((r) => ({
        itemId: r.id,
        requestId: r.requestId,
        cluster: r.cluster,
        accountId: r.accountId,
        region: r.region,
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        roleArn: r.roleArn,
        expiresAt: r.mappingExpiresAt!.toISOString(),
        requester: r.request.requester.login,
        mayExtend: mayExtend(user, r.request.requesterId),
      })),
    };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/expiry",
    status: 200,
    summary: "Time-bound mappings in force, soonest expiry first (requesters: only their own); mayExtend says whether the caller may ask for a later expiry (POST /api/v1/expiry/extensions with itemId)",
    errors: [400],
    output: z.object({
      onlyMine: z.boolean(),
      mappings: z.array(
        z.object({
          itemId: z.uuid(),
          requestId: z.uuid(),
          cluster: z.string(),
          accountId: z.string(),
          region: z.string(),
          namespace: z.string(),
          serviceAccount: z.string(),
          roleArn: z.string().nullable(),
          expiresAt: z.iso.datetime(),
          requester: z.string(),
          mayExtend: z.boolean(),
        }),
      ),
    }),
  },
});

export const listMigrationCandidatesOp = defineOperation({
  name: "list-migration-candidates",
  access: "inventory:read",
  input: z
    .object({
      cluster: opt(z.string().trim().max(100)),
      namespace: opt(z.string().trim().max(253)),
      stage: opt(z.enum(MIGRATION_STAGES, oneOf(MIGRATION_STAGES))),
      q: opt(z.string().trim().max(200)),
      sort: opt(z.enum(MIGRATION_SORTS, oneOf(MIGRATION_SORTS))).transform((v) => v ?? "cluster"),
      ...paging,
    })
    .strict(),
  async handler({ prisma, input }) {
    const { rows, scanId, scannedAt } = await migrationOverview(prisma);
    const found = queryMigrationRows(rows, input);
    return { ...found, rows: found.rows.map((r) => ({ ...r, stage: stageOf(r) })), facets: migrationFacets(rows), scanId, scannedAt };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/migrations",
    status: 200,
    summary:
      "IRSA service accounts of the latest scan with their migration stage (filtered, sorted and paged as on /migration); stage to-migrate offers POST /api/v1/migrations, to-clean-up POST /api/v1/migrations/cleanups, with the row's key",
    errors: [400],
    output: page(
      z.looseObject({
        key: z.string(),
        cluster: z.string(),
        namespace: z.string(),
        serviceAccount: z.string(),
        roleArn: z.string(),
        stage: z.enum(MIGRATION_STAGES),
        blocked: z.string().nullable(),
        warnings: z.array(z.string()),
        migration: z.object({ requestId: z.string(), status: z.string() }).nullable(),
        cleanup: z.object({ requestId: z.string(), status: z.string() }).nullable(),
      }),
    ).extend({
      facets: z.object({ clusters: z.array(z.string()), namespaces: z.array(z.string()), stages: z.array(z.enum(MIGRATION_STAGES)) }),
      scanId: z.string().nullable(),
      scannedAt: z.string().nullable(),
    }),
  },
});

export const listStalePodsOp = defineOperation({
  name: "list-stale-pods",
  access: "mappings:read",
  input: z.object({}).strict(),
  handler: async ({ prisma }) => ({ clusters: await stalePodsOverview(getConfig(), prisma) }),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/stale-pods",
    status: 200,
    summary:
      "Per watched cluster, the pods running with stale or missing Pod Identity credentials (listed live; a cluster that cannot be listed answers its error alone) and the namespaces' auto-restart settings",
    errors: [400],
    output: z.object({
      clusters: z.array(
        z.object({
          clusterId: z.uuid().meta({ description: "The clusterId of POST /api/v1/stale-pods/restarts and /auto-restart" }),
          name: z.string(),
          accountId: z.string(),
          region: z.string(),
          error: z.string().nullable(),
          pods: z.array(
            z.looseObject({
              namespace: z.string(),
              name: z.string(),
              serviceAccount: z.string(),
              startedAt: z.string(),
              reason: z.enum(["deleted-association", "changed-association", "before-association"]),
              associationChangedAt: z.string().nullable(),
            }),
          ),
          namespaces: z.array(z.object({ namespace: z.string(), autoRestart: z.boolean() })),
        }),
      ),
    }),
  },
});
