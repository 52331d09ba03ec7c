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
  return { total, rows, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)) };
}

export async function mappingFacets(prisma: PrismaClient) {
  const [clusters, namespaces, lastRefresh] = await Promise.all([
    prisma.cluster.findMany({ orderBy: { name: "asc" }, select: { name: true, accountId: true, region: true, lastRefreshedAt: true, lastRefreshError: true } }),
    prisma.podIdentityAssociation.findMany({ distinct: ["namespace"], select: { namespace: true }, orderBy: { namespace: "asc" } }),
    prisma.mappingRefresh.findFirst({ orderBy: { startedAt: "desc" } }),
  ]);
  return { clusters, namespaces: namespaces.map((n) => n.namespace), lastRefresh };
}
