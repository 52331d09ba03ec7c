// Server-side filtering, sorting and paging of the cached associations.
import "server-only";
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";

const SORT_FIELDS = ["cluster", "namespace", "serviceAccount", "roleArn", "modified", "created"] as const;

const kubeNameFilter = z
  .string()
  .trim()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Kubernetes name (lowercase letters, digits, - and .)");

export const mappingQuerySchema = z.object({
  cluster: z.string().trim().max(100).regex(/^[0-9A-Za-z][A-Za-z0-9\-_]*$/, "must be a cluster name").optional().catch(undefined),
  namespace: kubeNameFilter.optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(SORT_FIELDS).catch("cluster"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  // Offsets capped: page x pageSize (<= 200) stays within 100,000 rows.
  page: z.coerce.number().int().min(1).max(100_000).catch(1).transform((p) => Math.min(p, 500)),
  pageSize: z.coerce.number().int().min(10).max(200).catch(50),
});
export type MappingQuery = z.infer<typeof mappingQuerySchema>;

/** URL search params (string | string[]) -> a valid query; bad values fall back to defaults. */
export function parseMappingQuery(params: Record<string, string | string[] | undefined>): MappingQuery {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v || undefined]));
  return mappingQuerySchema.parse(flat);
}

function orderBy(q: MappingQuery): Prisma.PodIdentityAssociationOrderByWithRelationInput[] {
  const dir = q.dir;
  const tail: Prisma.PodIdentityAssociationOrderByWithRelationInput[] = [{ namespace: "asc" }, { serviceAccount: "asc" }, { id: "asc" }];
  switch (q.sort) {
    case "cluster":
      return [{ cluster: { name: dir } }, ...tail];
    case "namespace":
      return [{ namespace: dir }, { serviceAccount: "asc" }, { id: "asc" }];
    case "serviceAccount":
      return [{ serviceAccount: dir }, { id: "asc" }];
    case "roleArn":
      return [{ roleArn: dir }, { id: "asc" }];
    case "modified":
      return [{ awsModifiedAt: dir }, { id: "asc" }];
    case "created":
      return [{ awsCreatedAt: dir }, { id: "asc" }];
  }
}

export async function listMappings(prisma: PrismaClient, q: MappingQuery) {
  const where: Prisma.PodIdentityAssociationWhereInput = {
    ...(q.cluster ? { cluster: { name: q.cluster } } : {}),
    ...(q.namespace ? { namespace: q.namespace } : {}),
    ...(q.q
      ? {
          OR: [
            { serviceAccount: { contains: q.q, mode: "insensitive" } },
            { roleArn: { contains: q.q, mode: "insensitive" } },
            { targetRoleArn: { contains: q.q, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.podIdentityAssociation.count({ where }),
    prisma.podIdentityAssociation.findMany({
      where,
      orderBy: orderBy(q),
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
      include: { cluster: { select: { name: true, accountId: true, region: true } } },
    }),
  ]);
  const requests = await requestsOf(prisma, rows.map((r) => ({ cluster: r.cluster.name, namespace: r.namespace, serviceAccount: r.serviceAccount })));
  const withRequests = rows.map((r) => ({ ...r, requests: requests.get(saKey(r.cluster.name, r.namespace, r.serviceAccount)) ?? [] }));
  return { total, rows: withRequests, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}

/** How many of a service account's requests a mapping row links to (newest first; /requests lists the rest). */
const REQUESTS_PER_ROW = 3;
const saKey = (cluster: string, namespace: string, serviceAccount: string) => `${cluster}|${namespace}|${serviceAccount}`;

export interface MappingRequestLink {
  id: string;
  kind: string;
  status: string;
}

/** The requests filed about each service account (cluster, namespace, name), so a mapping links back to what made it. */
async function requestsOf(prisma: PrismaClient, sas: { cluster: string; namespace: string; serviceAccount: string }[]): Promise<Map<string, MappingRequestLink[]>> {
  const out = new Map<string, MappingRequestLink[]>();
  if (sas.length === 0) return out;
  const items = await prisma.requestItem.findMany({
    where: { OR: sas },
    orderBy: { request: { createdAt: "desc" } },
    select: { kind: true, cluster: true, namespace: true, serviceAccount: true, request: { select: { id: true, status: true } } },
  });
  for (const i of items) {
    const key = saKey(i.cluster, i.namespace, i.serviceAccount);
    const list = out.get(key) ?? [];
    if (list.length < REQUESTS_PER_ROW && !list.some((l) => l.id === i.request.id)) list.push({ id: i.request.id, kind: i.kind, status: i.request.status });
    out.set(key, list);
  }
  return out;
}

export async function mappingFacets(prisma: PrismaClient) {
  const [clusters, namespaces, lastRefresh] = await Promise.all([
    prisma.cluster.findMany({ orderBy: { name: "asc" }, select: { name: true, accountId: true, region: true, lastRefreshedAt: true, lastRefreshError: true } }),
    prisma.podIdentityAssociation.findMany({ distinct: ["namespace"], select: { namespace: true }, orderBy: { namespace: "asc" } }),
    prisma.mappingRefresh.findFirst({ orderBy: { startedAt: "desc" } }),
  ]);
  const withAssociations = await prisma.podIdentityAssociation.findMany({ distinct: ["clusterId"], select: { cluster: { select: { name: true } } } });
  const filterClusters = new Set(withAssociations.map((a) => a.cluster.name));
  // The cluster filter offers only clusters with associations (a choice that can match); the list of clusters stays whole for refresh errors.
  return { clusters, clusterOptions: clusters.map((c) => c.name).filter((n) => filterClusters.has(n)), namespaces: namespaces.map((n) => n.namespace), lastRefresh };
}
