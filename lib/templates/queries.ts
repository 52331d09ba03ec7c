// What /templates and GET /api/v1/templates read: every template by name with
// its versions (and their request's status), the mappings it made, and the
// matches pending (auto-approved mappings not applied yet).
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/core/errors";
import { templateCandidates } from "./candidates";
import type { TemplateDeps } from "./deps";

const VERSION_SELECT = {
  id: true, name: true, version: true, status: true, clusters: true, namespace: true, serviceAccountPattern: true, roleArn: true, targetRoleArn: true,
  disableSessionTags: true, sessionPolicy: true, mappingTtlDays: true, maxMappings: true, expiresAt: true, requestId: true, createdBy: true, createdAt: true,
  activatedAt: true, approvedBy: true, revokedAt: true, revocationRequestId: true, request: { select: { status: true } },
} as const;

export interface TemplateMappingView {
  requestId: string;
  requestStatus: string;
  itemStatus: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string | null;
  templateVersion: number;
  associationId: string | null;
  mappingExpiresAt: Date | null;
  revocationRequestId: string | null;
  createdAt: Date;
}

/** Per template: the mappings shown (in cluster / service account order) and the versions shown (newest first); how many there are goes alongside. */
export const TEMPLATE_MAPPINGS_SHOWN = 500;
export const TEMPLATE_VERSIONS_SHOWN = 20;
/** Templates (by name) one list returns. */
export const TEMPLATE_LIST_MAX = 200;

export interface TemplateMappings {
  /** At most TEMPLATE_MAPPINGS_SHOWN. */
  mappings: TemplateMappingView[];
  mappingsTotal: number;
  mappingsTruncated: boolean;
  /** Approved but not applied yet, up to the same cap (the job runner works them off). */
  pendingMatches: TemplateMappingView[];
}

const MAPPING_INCLUDE = { request: { select: { status: true, createdAt: true } }, template: { select: { version: true } } } as const;

function mappingView(i: Prisma.RequestItemGetPayload<{ include: typeof MAPPING_INCLUDE }>): TemplateMappingView {
  return {
    requestId: i.requestId, requestStatus: i.request.status, itemStatus: i.status, cluster: i.cluster, namespace: i.namespace, serviceAccount: i.serviceAccount,
    roleArn: i.roleArn, templateVersion: i.template?.version ?? 0, associationId: i.resultAssociationId, mappingExpiresAt: i.mappingExpiresAt,
    revocationRequestId: i.revocationRequestId, createdAt: i.request.createdAt,
  };
}

/** The mappings a template's name made (every version), capped: a template over dmjob-* makes one per Domino run. */
async function mappingsOf(prisma: PrismaClient, name: string, max = TEMPLATE_MAPPINGS_SHOWN): Promise<TemplateMappings> {
  const where: Prisma.RequestItemWhereInput = { kind: "create", template: { name } };
  const orderBy: Prisma.RequestItemOrderByWithRelationInput[] = [{ cluster: "asc" }, { serviceAccount: "asc" }];
  const [total, items, pending] = await Promise.all([
    prisma.requestItem.count({ where }),
    prisma.requestItem.findMany({ where, include: MAPPING_INCLUDE, orderBy, take: max }),
    prisma.requestItem.findMany({ where: { ...where, request: { status: { in: [...PENDING_MATCH] } } }, include: MAPPING_INCLUDE, orderBy, take: max }),
  ]);
  return { mappings: items.map(mappingView), mappingsTotal: total, mappingsTruncated: total > items.length, pendingMatches: pending.map(mappingView) };
}

/** A mapping waiting for the job runner: approved under the template, not applied yet. */
const PENDING_MATCH = ["approved", "applying"] as const;

type NameGroup = { name: string; _max: { version: number | null }; _count: { _all: number } };

/** The newest versions of each name (a name's versions are 1..N without gaps: the newest k are those above N - k), with how many it has. */
async function newestVersions(prisma: PrismaClient, names: NameGroup[], keep: number) {
  const rows = names.length
    ? await prisma.associationTemplate.findMany({
        where: { OR: names.map((n) => ({ name: n.name, version: { gt: (n._max.version ?? 0) - keep } })) },
        select: VERSION_SELECT,
        orderBy: [{ name: "asc" }, { version: "desc" }],
      })
    : [];
  return names.map((n) => {
    const versions = rows.filter((v) => v.name === n.name);
    return { name: n.name, versions, versionsTotal: n._count._all, versionsTruncated: n._count._all > versions.length };
  });
}

/**
 * The templates by name (at most TEMPLATE_LIST_MAX, in name order; `total` and `truncated`
 * say how many there are), each with its current version (the active one, else the newest),
 * its newest versions and its mappings, both capped.
 */
export async function listTemplates(prisma: PrismaClient, caps: { templates?: number; versions?: number; mappings?: number } = {}) {
  const [names, total] = await Promise.all([
    prisma.associationTemplate.groupBy({ by: ["name"], _max: { version: true }, _count: { _all: true }, orderBy: { name: "asc" }, take: caps.templates ?? TEMPLATE_LIST_MAX }),
    prisma.associationTemplate.groupBy({ by: ["name"] }).then((all) => all.length),
  ]);
  const templates = await Promise.all(
    (await newestVersions(prisma, names, caps.versions ?? TEMPLATE_VERSIONS_SHOWN)).map(async (t) => {
      // The active version may be older than the newest shown (edits filed and never approved stay "pending").
      const active = t.versions.find((v) => v.status === "active") ?? (await prisma.associationTemplate.findFirst({ where: { name: t.name, status: "active" }, select: VERSION_SELECT }));
      return { ...t, current: active ?? t.versions[0]!, ...(await mappingsOf(prisma, t.name, caps.mappings)) };
    }),
  );
  return { templates, total, truncated: total > templates.length };
}

/** One version with its name's mappings and, read live from the clusters, the service accounts it would match now (dry run). */
export async function getTemplate(deps: Pick<TemplateDeps, "prisma" | "kube" | "targets">, id: string) {
  const t = await deps.prisma.associationTemplate.findUnique({ where: { id }, select: VERSION_SELECT });
  if (!t) throw new DomainError("not_found", `There is no template ${id}.`);
  const [name] = await deps.prisma.associationTemplate.groupBy({ by: ["name"], where: { name: t.name }, _max: { version: true }, _count: { _all: true }, orderBy: { name: "asc" } });
  const { versions, versionsTotal, versionsTruncated } = (await newestVersions(deps.prisma, [name!], TEMPLATE_VERSIONS_SHOWN))[0]!;
  const mappings = await mappingsOf(deps.prisma, t.name);
  const dry = await templateCandidates(deps, t);
  return {
    template: t,
    versions,
    versionsTotal,
    versionsTruncated,
    ...mappings,
    dryRun: { candidates: dry.candidates.map((c) => ({ cluster: c.cluster.name, namespace: c.namespace, serviceAccount: c.serviceAccount, state: c.state, requestId: c.requestId ?? null })), errors: dry.errors },
  };
}
