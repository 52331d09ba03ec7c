import "server-only";
// Inventory operations: what the latest scan found (service accounts and the
// roles they can assume, roles and who can assume them, findings, clusters),
// starting a scan and following it, and the cached Pod Identity associations.
// The API's query schemas are strict (a bad filter is a 400 naming it), unlike
// the pages' URL schemas which fall back to defaults.
import { z } from "zod";
import { runtime } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { DomainError } from "@/lib/core/errors";
import { callerOf, defineOperation } from "@/lib/core/operation";
import { listMappings, mappingQuerySchema } from "@/lib/inventory/list-mappings";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { scanServiceDeps } from "@/lib/inventory/scan/app-deps";
import { startScan } from "@/lib/inventory/scan/service";
import { ACCESS_SORTS, queryAccessRows } from "@/lib/inventory/views/access-rows";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { SEVERITIES, SEVERITY_RANK, sortAndPage } from "@/lib/inventory/views/paging";
import { roleDetail } from "@/lib/inventory/views/role-detail";
import { ROLE_SORTS, queryRoles } from "@/lib/inventory/views/role-summaries";
import { page, started } from "./schemas";

/** An optional query parameter: "" is absent. */
const opt = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" ? undefined : v), s.optional());
const paging = {
  dir: opt(z.enum(["asc", "desc"], "must be asc or desc")).transform((v) => v ?? "asc"),
  page: opt(z.coerce.number().int().min(1, "must be 1 or more").max(1_000_000)).transform((v) => v ?? 1),
  pageSize: opt(z.coerce.number().int().min(10, "must be 10 to 200").max(200, "must be 10 to 200")).transform((v) => v ?? 50),
};
const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit account id");
const scanMeta = { scanId: z.string().nullable().meta({ description: "The scan these rows come from; null before the first scan" }), scannedAt: z.string().nullable() };

async function latestView(ctx: { prisma: Parameters<typeof getInventoryView>[0] }) {
  return getInventoryView(ctx.prisma);
}
const emptyPage = (pageSize: number) => ({ rows: [], total: 0, page: 1, pages: 1, pageSize, scanId: null, scannedAt: null });

export const listServiceAccountsOp = defineOperation({
  name: "list-service-accounts",
  access: "inventory:read",
  input: z.object({
    cluster: opt(z.string().max(100)),
    namespace: opt(z.string().max(253)),
    mechanism: opt(z.enum(["irsa", "pod-identity", "both"], "must be irsa, pod-identity or both")),
    kind: opt(z.string().max(80).regex(/^[a-z-]+$/, "must be a finding kind (a-z and -)")),
    severity: opt(z.enum(SEVERITIES, `must be one of ${SEVERITIES.join(", ")}`)),
    findings: opt(z.enum(["any", "none"], "must be any or none")),
    q: opt(z.string().max(200)),
    sort: opt(z.enum(ACCESS_SORTS, `must be one of ${ACCESS_SORTS.join(", ")}`)).transform((v) => v ?? "cluster"),
    ...paging,
  }),
  handler: async (ctx) => {
    const view = await latestView(ctx);
    if (!view) return emptyPage(ctx.input.pageSize);
    return { ...queryAccessRows(view.accessRows, ctx.input), scanId: view.scanId, scannedAt: view.scannedAt };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/service-accounts",
    status: 200,
    summary: "Service accounts and the roles each can assume (IRSA, Pod Identity), with findings, from the latest scan",
    errors: [400],
    output: page(z.looseObject({ cluster: z.string(), namespace: z.string(), serviceAccount: z.string(), roleArn: z.string(), mechanism: z.enum(["irsa", "pod-identity", "both"]), effective: z.boolean() })).extend(scanMeta),
  },
});

export const listRolesOp = defineOperation({
  name: "list-roles",
  access: "inventory:read",
  input: z.object({
    account: opt(accountId),
    mechanism: opt(z.enum(["irsa", "pod-identity", "none"], "must be irsa, pod-identity or none")),
    findings: opt(z.enum(["any", "none"], "must be any or none")),
    q: opt(z.string().max(200)),
    sort: opt(z.enum(ROLE_SORTS, `must be one of ${ROLE_SORTS.join(", ")}`)).transform((v) => v ?? "name"),
    ...paging,
  }),
  handler: async (ctx) => {
    const view = await latestView(ctx);
    if (!view) return emptyPage(ctx.input.pageSize);
    return { ...queryRoles(view.roles, ctx.input), scanId: view.scanId, scannedAt: view.scannedAt };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/roles",
    status: 200,
    summary: "IAM roles of the watched accounts with how many service accounts can assume each",
    errors: [400],
    output: page(z.looseObject({ arn: z.string(), name: z.string(), accountId: z.string(), assumers: z.number().int(), findings: z.number().int() })).extend(scanMeta),
  },
});

export const getRoleOp = defineOperation({
  name: "get-role",
  access: "inventory:read",
  input: z.object({ arn: z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, "must be an IAM role ARN (URL-encoded in the path)") }),
  handler: async (ctx) => {
    const view = await latestView(ctx);
    const detail = view ? roleDetail(view.snapshot, view.analysis, ctx.input.arn) : null;
    if (!view || !detail) throw new DomainError("not_found", `The latest scan has no role ${ctx.input.arn}.`);
    return {
      arn: detail.role.arn,
      roleName: detail.role.roleName,
      trustPolicy: detail.role.trustPolicy,
      assumers: detail.mappings,
      patterns: detail.patterns,
      statements: detail.statements.map((s) => ({ index: s.index, sid: s.sid ?? null, effect: s.effect, statement: JSON.parse(s.json) as unknown, matchedBy: s.matchedBy })),
      findings: detail.findings,
      ...(detail.parseError ? { parseError: detail.parseError } : {}),
      scanId: view.scanId,
      scannedAt: view.scannedAt,
    };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/roles/{arn}",
    status: 200,
    summary: "One role: who can assume it (per service account and mechanism) and through which trust statement",
    errors: [400, 404],
    output: z.looseObject({
      arn: z.string(),
      assumers: z.array(z.looseObject({ cluster: z.string(), namespace: z.string(), serviceAccount: z.string() })),
      statements: z.array(z.object({ index: z.number().int(), sid: z.string().nullable(), effect: z.string(), statement: z.unknown(), matchedBy: z.array(z.string()).meta({ description: "cluster/namespace/sa (mechanism) this statement lets in" }) })),
      findings: z.array(z.looseObject({ id: z.string(), kind: z.string(), severity: z.string() })),
    }),
  },
});

export const listFindingsOp = defineOperation({
  name: "list-findings",
  access: "inventory:read",
  input: z.object({
    severity: opt(z.enum(SEVERITIES, `must be one of ${SEVERITIES.join(", ")}`)),
    kind: opt(z.string().max(80).regex(/^[a-z-]+$/, "must be a finding kind (a-z and -)")),
    cluster: opt(z.string().max(100)),
    namespace: opt(z.string().max(253)),
    roleArn: opt(z.string().max(2048)),
    ...paging,
  }),
  handler: async (ctx) => {
    const view = await latestView(ctx);
    if (!view) return emptyPage(ctx.input.pageSize);
    const q = ctx.input;
    const rows = view.analysis.findings.filter(
      (f) => (!q.severity || f.severity === q.severity) && (!q.kind || f.kind === q.kind) && (!q.cluster || f.cluster === q.cluster) && (!q.namespace || f.namespace === q.namespace) && (!q.roleArn || f.roleArn === q.roleArn),
    );
    return { ...sortAndPage(rows, (f) => SEVERITY_RANK[f.severity] ?? 9, q.dir, q.page, q.pageSize, [(f) => f.kind, (f) => f.id]), scanId: view.scanId, scannedAt: view.scannedAt };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/findings",
    status: 200,
    summary: "Findings of the latest scan, most severe first (dir=desc: least severe first)",
    errors: [400],
    output: page(z.looseObject({ id: z.string(), kind: z.string(), severity: z.enum(SEVERITIES), title: z.string(), detail: z.string() })).extend(scanMeta),
  },
});

export const listClustersOp = defineOperation({
  name: "list-clusters",
  access: "inventory:read",
  input: z.object({}),
  handler: async (ctx) => {
    const view = await latestView(ctx);
    return { clusters: view?.clusters ?? [], pairs: view?.pairs ?? [], scanId: view?.scanId ?? null, scannedAt: view?.scannedAt ?? null };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/clusters",
    status: 200,
    summary: "Watched clusters with their Pod Identity agent, OIDC issuer, counts, findings and Blue/Green pairing",
    output: z.object({
      clusters: z.array(z.looseObject({ name: z.string(), arn: z.string(), accountId: z.string(), region: z.string(), addonInstalled: z.boolean(), issuerRegistered: z.boolean(), findings: z.number().int() })),
      pairs: z.array(z.looseObject({})),
      ...scanMeta,
    }),
  },
});

export const startScanOp = defineOperation({
  name: "start-scan",
  access: "inventory:scan",
  input: z.object({}).strict(),
  handler: async (ctx) => {
    const { scanId, alreadyRunning, done } = await startScan(scanServiceDeps(getConfig(), ctx.prisma), "manual", callerOf(ctx).login);
    // Runs on after the response; its progress is stored on the Scan row.
    done.catch((e) => console.error(JSON.stringify({ level: "error", requestId: ctx.requestId, scanId, error: (e as Error).message })));
    return { scanId, alreadyRunning };
  },
  // Recorded with the Scan row it creates (none when joining a running scan).
  audit: { recordedBy: "handler", events: ["inventory.scan_started"] },
  http: { method: "POST", path: "/api/v1/scans", status: 202, summary: "Start an inventory scan (or join the running one); follow it with GET /api/v1/scans/{id}", errors: [400, 403], output: started("scanId") },
});

export const getScanOp = defineOperation({
  name: "get-scan",
  access: "inventory:read",
  input: z.object({ id: z.uuid("must be a scan id (UUID)") }),
  handler: async ({ prisma, input }) => {
    const scan = await prisma.scan.findUnique({ where: { id: input.id } });
    if (!scan) throw new DomainError("not_found", `No scan ${input.id}.`);
    return scan;
  },
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/scans/{id}", status: 200, summary: "Status, progress, errors and counts of an inventory scan", errors: [400, 404], output: z.looseObject({ id: z.string(), status: z.string() }) },
});

export const listMappingsOp = defineOperation({
  name: "list-mappings",
  access: "mappings:read",
  input: mappingQuerySchema,
  handler: async ({ prisma, input }) => {
    const result = await listMappings(prisma, input);
    return {
      ...result,
      rows: result.rows.map((r) => ({
        cluster: r.cluster.name,
        accountId: r.cluster.accountId,
        region: r.cluster.region,
        associationId: r.associationId,
        associationArn: r.associationArn,
        namespace: r.namespace,
        serviceAccount: r.serviceAccount,
        roleArn: r.roleArn,
        targetRoleArn: r.targetRoleArn,
        externalId: r.externalId,
        sessionTags: !r.disableSessionTags,
        ownerArn: r.ownerArn,
        createdAt: r.awsCreatedAt,
        modifiedAt: r.awsModifiedAt,
        refreshedAt: r.refreshedAt,
      })),
    };
  },
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/mappings", status: 200, summary: "Pod Identity associations read from the clusters (cached)", errors: [400], output: page(z.looseObject({ cluster: z.string(), associationId: z.string() })) },
});

export const refreshMappingsOp = defineOperation({
  name: "refresh-mappings",
  access: "mappings:refresh",
  input: z.object({}).strict(),
  handler: async (ctx) => {
    const { refreshId, alreadyRunning, done } = await startMappingRefresh(runtime().refreshDeps(ctx.prisma), callerOf(ctx).login);
    // Runs on after the response; its progress is stored row by row.
    done.catch((e) => console.error(JSON.stringify({ level: "error", refreshId, error: (e as Error).message })));
    return { refreshId, alreadyRunning };
  },
  audit: { recordedBy: "handler", events: ["mappings.refresh_started"] },
  http: { method: "POST", path: "/api/v1/mappings/refreshes", status: 202, summary: "Start a refresh of the cached associations (or join the running one)", errors: [400, 403], output: started("refreshId") },
});

export const getMappingRefreshOp = defineOperation({
  name: "get-mapping-refresh",
  access: "mappings:read",
  input: z.object({ id: z.uuid("must be a refresh id (UUID)") }),
  handler: async ({ prisma, input }) => {
    const refresh = await prisma.mappingRefresh.findUnique({ where: { id: input.id } });
    if (!refresh) throw new DomainError("not_found", `No refresh ${input.id}.`);
    return refresh;
  },
  audit: "read-only",
  http: { method: "GET", path: "/api/v1/mappings/refreshes/{id}", status: 200, summary: "Progress of a mappings refresh", errors: [400, 404], output: z.looseObject({ id: z.string(), status: z.string() }) },
});
