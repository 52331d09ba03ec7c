// What /templates and GET /api/v1/templates read: every template by name with
// its versions (and their request's status), the mappings it made, and the
// matches pending (auto-approved mappings not applied yet).
import type { PrismaClient } from "@/lib/db/generated/client";
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

async function mappingsOf(prisma: PrismaClient, name: string): Promise<TemplateMappingView[]> {
  const items = await prisma.requestItem.findMany({
    where: { kind: "create", template: { name } },
    include: { request: { select: { status: true, createdAt: true } }, template: { select: { version: true } } },
    orderBy: [{ cluster: "asc" }, { serviceAccount: "asc" }],
  });
  return items.map((i) => ({
    requestId: i.requestId, requestStatus: i.request.status, itemStatus: i.status, cluster: i.cluster, namespace: i.namespace, serviceAccount: i.serviceAccount,
    roleArn: i.roleArn, templateVersion: i.template?.version ?? 0, associationId: i.resultAssociationId, mappingExpiresAt: i.mappingExpiresAt,
    revocationRequestId: i.revocationRequestId, createdAt: i.request.createdAt,
  }));
}

/** A mapping waiting for the job runner: approved under the template, not applied yet. */
export const isPendingMatch = (m: TemplateMappingView) => m.requestStatus === "approved" || m.requestStatus === "applying";

export async function listTemplates(prisma: PrismaClient) {
  const versions = await prisma.associationTemplate.findMany({ select: VERSION_SELECT, orderBy: [{ name: "asc" }, { version: "desc" }] });
  const names = [...new Set(versions.map((v) => v.name))];
  return Promise.all(
    names.map(async (name) => {
      const own = versions.filter((v) => v.name === name);
      const mappings = await mappingsOf(prisma, name);
      return { name, current: own.find((v) => v.status === "active") ?? own[0]!, versions: own, mappings, pendingMatches: mappings.filter(isPendingMatch) };
    }),
  );
}

/** One version with its name's mappings and, read live from the clusters, the service accounts it would match now (dry run). */
export async function getTemplate(deps: Pick<TemplateDeps, "prisma" | "kube" | "targets">, id: string) {
  const t = await deps.prisma.associationTemplate.findUnique({ where: { id }, select: VERSION_SELECT });
  if (!t) throw new DomainError("not_found", `There is no template ${id}.`);
  const versions = await deps.prisma.associationTemplate.findMany({ where: { name: t.name }, select: VERSION_SELECT, orderBy: { version: "desc" } });
  const mappings = await mappingsOf(deps.prisma, t.name);
  const dry = await templateCandidates(deps, t);
  return {
    template: t,
    versions,
    mappings,
    pendingMatches: mappings.filter(isPendingMatch),
    dryRun: { candidates: dry.candidates.map((c) => ({ cluster: c.cluster.name, namespace: c.namespace, serviceAccount: c.serviceAccount, state: c.state, requestId: c.requestId ?? null })), errors: dry.errors },
  };
}
