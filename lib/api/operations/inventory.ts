import "server-only";
// Inventory operations: what the latest scan found (service accounts and the
// roles they can assume, roles and who can assume them, findings, clusters,
// IRSA against Pod Identity usage over the scans), starting a scan and following
// it, and the cached Pod Identity associations.
// The API's query schemas are strict (./query-params).
import { z } from "zod";
import { runtime } from "@/lib/runtime";
import { getConfig } from "@/lib/config";
import { DomainError } from "@/lib/core/errors";
import { defineOperation } from "@/lib/core/operation";
import { listMappings, mappingQuerySchema } from "@/lib/inventory/list-mappings";
import { startMappingRefresh } from "@/lib/inventory/refresh-mappings";
import { scanServiceDeps } from "@/lib/inventory/scan/app-deps";
import { startScan } from "@/lib/inventory/scan/service";
import { ACCESS_SORTS, queryAccessRows } from "@/lib/inventory/views/access-rows";
import { filingChoicesOf, ROLE_SEARCH_DEFAULT, ROLE_SEARCH_MAX, searchRoleChoices } from "@/lib/inventory/views/filing-choices";
import { getInventoryView } from "@/lib/inventory/views/inventory-view";
import { SEVERITIES, SEVERITY_RANK, sortAndPage } from "@/lib/inventory/views/paging";
import { roleDetail } from "@/lib/inventory/views/role-detail";
import { ROLE_SORTS, queryRoles } from "@/lib/inventory/views/role-summaries";
import { usageHistory } from "@/lib/inventory/views/scan-history";
import { backgroundRun } from "./background-run";
import { opt, paging } from "./query-params";
import { page } from "./schemas";

const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit account id");
const scanMeta = { scanId: z.string().nullable().meta({ description: "The scan these rows come from; null before the first scan" }), scannedAt: z.string().nullable() };

async function latestView(ctx: { prisma: Parameters<typeof getInventoryView>[0] }) {
  return getInventoryView(ctx.prisma);
}
const emptyPage = (pageSize: number) => ({ rows: [], total: 0, page: 1, pages: 1, pageSize, scanId: null, scannedAt: null });

type InventoryView = NonNullable<Awaited<ReturnType<typeof getInventoryView>>>;
type Paged = { dir: "asc" | "desc"; page: number; pageSize: number };

/**
 * A paged GET over the latest scan (an empty page before the first one), each
 * page saying which scan it comes from: `filters` join the paging parameters.
 */
function latestScanPage<F extends z.ZodRawShape>(o: {
  name: string;
  path: `/api/v1/${string}`;
  summary: string;
  filters: F;
  row: z.ZodType;
  query: (view: InventoryView, input: z.infer<z.ZodObject<F & typeof paging>>) => object;
}) {
  return defineOperation({
    name: o.name,
    access: "inventory:read",
    input: z.object({ ...o.filters, ...paging }),
    handler: async (ctx) => {
      const view = await latestView(ctx);
      if (!view) return emptyPage((ctx.input as Paged).pageSize);
      return { ...o.query(view, ctx.input as z.infer<z.ZodObject<F & typeof paging>>), scanId: view.scanId, scannedAt: view.scannedAt };
    },
    audit: "read-only",
    http: { method: "GET", path: o.path, status: 200, summary: o.summary, errors: [400], output: page(o.row).extend(scanMeta) },
  });
}

export const listServiceAccountsOp = latestScanPage({
  name: "list-service-accounts",
  path: "/api/v1/service-accounts",
  summary: "Service accounts and the roles each can assume (IRSA, Pod Identity), with findings, from the latest scan",
  filters: {
    cluster: opt(z.string().max(100)),
    namespace: opt(z.string().max(253)),
    mechanism: opt(z.enum(["irsa", "pod-identity", "both"], "must be irsa, pod-identity or both")),
    kind: opt(z.string().max(80).regex(/^[a-z-]+$/, "must be a finding kind (a-z and -)")),
    severity: opt(z.enum(SEVERITIES, `must be one of ${SEVERITIES.join(", ")}`)),
    findings: opt(z.enum(["any", "none"], "must be any or none")),
    q: opt(z.string().max(200)),
    sort: opt(z.enum(ACCESS_SORTS, `must be one of ${ACCESS_SORTS.join(", ")}`)).transform((v) => v ?? "cluster"),
  },
  row: z.looseObject({ cluster: z.string(), namespace: z.string(), serviceAccount: z.string(), roleArn: z.string(), mechanism: z.enum(["irsa", "pod-identity", "both"]), effective: z.boolean() }),
  // `kind` stays a parameter of its own in the API; the view filters it through `findings`.
  query: (view, { kind, ...input }) => queryAccessRows(view.accessRows, { ...input, findings: input.findings ?? kind }),
});

export const listRolesOp = latestScanPage({
  name: "list-roles",
  path: "/api/v1/roles",
  summary: "IAM roles of the watched accounts with how many service accounts can assume each",
  filters: {
    account: opt(accountId),
    mechanism: opt(z.enum(["irsa", "pod-identity", "none"], "must be irsa, pod-identity or none")),
    findings: opt(z.enum(["any", "none"], "must be any or none")),
    q: opt(z.string().max(200)),
    sort: opt(z.enum(ROLE_SORTS, `must be one of ${ROLE_SORTS.join(", ")}`)).transform((v) => v ?? "name"),
  },
  row: z.looseObject({ arn: z.string(), name: z.string(), accountId: z.string(), assumers: z.number().int(), findings: z.number().int() }),
  query: (view, input) => queryRoles(view.roles, input),
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

export const searchRoleChoicesOp = defineOperation({
  name: "search-role-choices",
  // The new-request form's role picker: whoever may file searches the roles a request may name.
  access: "requests:create",
  input: z.object({
    q: opt(z.string().trim().max(200, "must be at most 200 characters")),
    limit: opt(z.coerce.number().int("must be a whole number").min(1, `must be 1 to ${ROLE_SEARCH_MAX}`).max(ROLE_SEARCH_MAX, `must be 1 to ${ROLE_SEARCH_MAX}`)).transform((v) => v ?? ROLE_SEARCH_DEFAULT),
  }).strict(),
  handler: async (ctx) => {
    const view = await latestView(ctx);
    if (!view) return { roles: [], total: 0, scanId: null, scannedAt: null };
    return { ...searchRoleChoices(filingChoicesOf(view).roles, ctx.input), scanId: view.scanId, scannedAt: view.scannedAt };
  },
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/role-choices",
    status: 200,
    summary: `The role picker's search: roles whose name, path, account or ARN contains every word of \`q\`, Pod Identity-trusted first, at most \`limit\` (default ${ROLE_SEARCH_DEFAULT}, at most ${ROLE_SEARCH_MAX}) with the total; each with its trust badge and the clusters whose node role leaves it out`,
    errors: [400, 403],
    output: z.object({
      roles: z.array(z.object({
        arn: z.string(),
        name: z.string(),
        path: z.string(),
        accountId: z.string(),
        trust: z.enum(["allows", "conditional", "no-tagsession", "not-trusted", "unreadable"]),
        nodeRoleMissingOn: z.array(z.string()),
      })),
      total: z.number().int(),
      ...scanMeta,
    }),
  },
});

export const listFindingsOp = latestScanPage({
  name: "list-findings",
  path: "/api/v1/findings",
  summary: "Findings of the latest scan, most severe first (dir=desc: least severe first)",
  filters: {
    id: opt(z.string().max(5000, "must be at most 5000 characters").meta({ description: "One finding by its id (the UI opens a finding's detail and fix this way)" })),
    severity: opt(z.enum(SEVERITIES, `must be one of ${SEVERITIES.join(", ")}`)),
    kind: opt(z.string().max(80).regex(/^[a-z-]+$/, "must be a finding kind (a-z and -)")),
    cluster: opt(z.string().max(100)),
    namespace: opt(z.string().max(253)),
    roleArn: opt(z.string().max(2048)),
  },
  row: z.looseObject({ id: z.string(), kind: z.string(), severity: z.enum(SEVERITIES), title: z.string(), detail: z.string() }),
  query: (view, q) => {
    const rows = view.analysis.findings.filter(
      (f) => (!q.id || f.id === q.id) && (!q.severity || f.severity === q.severity) && (!q.kind || f.kind === q.kind) && (!q.cluster || f.cluster === q.cluster) && (!q.namespace || f.namespace === q.namespace) && (!q.roleArn || f.roleArn === q.roleArn),
    );
    return sortAndPage(rows, (f) => SEVERITY_RANK[f.severity] ?? 9, q.dir, q.page, q.pageSize, [(f) => f.kind, (f) => f.id]);
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

const USAGE_SCANS_MAX = 100;

export const getUsageOp = defineOperation({
  name: "get-usage",
  access: "inventory:read",
  input: z
    .object({
      scans: opt(z.coerce.number().int("must be a whole number").min(1, `must be 1 to ${USAGE_SCANS_MAX}`).max(USAGE_SCANS_MAX, `must be 1 to ${USAGE_SCANS_MAX}`)).transform((v) => v ?? 30),
    })
    .strict(),
  handler: ({ prisma, input }) => usageHistory(prisma, input.scans),
  audit: "read-only",
  http: {
    method: "GET",
    path: "/api/v1/usage",
    status: 200,
    summary: `IRSA service accounts against Pod Identity associations per cluster and namespace in the newest scan with usage, and the totals of the last \`scans\` such scans, oldest first (default 30, at most ${USAGE_SCANS_MAX}), as on /usage`,
    errors: [400],
    output: z.object({
      latest: z.array(z.object({ cluster: z.string(), namespace: z.string(), irsa: z.number().int(), podIdentity: z.number().int(), serviceAccounts: z.number().int() })),
      trend: z.array(z.object({ scanId: z.string(), at: z.iso.datetime(), irsa: z.number().int(), podIdentity: z.number().int() })),
      scanId: z.string().nullable().meta({ description: "The scan `latest` comes from; null before a scan recorded usage" }),
    }),
  },
});

const scanRun = backgroundRun({
  names: { start: "start-scan", get: "get-scan" },
  noun: "scan",
  idField: "scanId",
  path: "/api/v1/scans",
  access: { start: "inventory:scan", read: "inventory:read" },
  event: "inventory.scan_started",
  summary: { start: "Start an inventory scan (or join the running one); follow it with GET /api/v1/scans/{id}", get: "Status, progress, errors and counts of an inventory scan" },
  start: (ctx, login) => startScan(scanServiceDeps(getConfig(), ctx.prisma), "manual", login),
  find: (prisma, id) => prisma.scan.findUnique({ where: { id } }),
});
export const startScanOp = scanRun.start;
export const getScanOp = scanRun.get;

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

const refreshRun = backgroundRun({
  names: { start: "refresh-mappings", get: "get-mapping-refresh" },
  noun: "refresh",
  idField: "refreshId",
  path: "/api/v1/mappings/refreshes",
  access: { start: "mappings:refresh", read: "mappings:read" },
  event: "mappings.refresh_started",
  summary: { start: "Start a refresh of the cached associations (or join the running one)", get: "Progress of a mappings refresh" },
  start: (ctx, login) => {
    return startMappingRefresh(runtime().refreshDeps(ctx.prisma), login);
  },
  find: (prisma, id) => prisma.mappingRefresh.findUnique({ where: { id } }),
});
export const refreshMappingsOp = refreshRun.start;
export const getMappingRefreshOp = refreshRun.get;
