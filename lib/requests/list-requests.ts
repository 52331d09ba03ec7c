// The /requests list: tabs (mine / to review / all), filters, paging.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { reviewInbox, type Reviewer } from "./inbox";
import type { ItemKinds } from "./item-kinds";

export const listQuerySchema = z.object({
  tab: z.enum(["mine", "review", "all"]).default("all").catch("all"),
  status: z.enum(["pending", "changes_requested", "approved", "applying", "applied", "failed", "rejected", "cancelled", "expired"]).optional().catch(undefined),
  cluster: z.string().max(100).optional(),
  q: z.string().max(200).optional(),
  // Offsets are capped (page x pageSize <= 100,000): deep paging is a scan, not a read.
  page: z.coerce.number().int().min(1).default(1).catch(1).transform((p) => Math.min(p, 1000)),
  pageSize: z.coerce.number().int().min(1).max(100).default(25).catch(25),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The tab a person's /requests opens on: reviewers their inbox, everyone else their own requests. */
export function defaultTab(role: Reviewer["role"], kind: Reviewer["kind"] = "person"): ListQuery["tab"] {
  return (role === "approver" || role === "admin") && kind !== "service" ? "review" : "mine";
}

/** One page of requests; the "review" tab is exactly the actor's review inbox (inbox.ts). */
export async function listRequests(deps: { prisma: PrismaClient; kinds: ItemKinds }, actor: Reviewer, query: ListQuery) {
  const { prisma } = deps;
  const where: Prisma.RequestWhereInput = {};
  if (query.tab === "mine") where.requesterId = actor.id;
  if (query.tab === "review") where.id = { in: await reviewInbox(prisma, deps.kinds, actor) };
  if (query.status) where.status = query.status;
  const itemFilter: Prisma.RequestItemWhereInput = {};
  if (query.cluster) itemFilter.cluster = query.cluster;
  if (query.q) itemFilter.OR = [{ serviceAccount: { contains: query.q } }, { roleArn: { contains: query.q } }, { namespace: { contains: query.q } }];
  if (Object.keys(itemFilter).length) where.items = { some: itemFilter };
  const [total, rows] = await Promise.all([
    prisma.request.count({ where }),
    prisma.request.findMany({
      where,
      orderBy: { createdAt: "desc" },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { requester: { select: { login: true } }, items: { orderBy: { position: "asc" }, take: 1 }, _count: { select: { items: true, reviews: true } } },
    }),
  ]);
  return {
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      requester: r.requester.login,
      createdAt: r.createdAt,
      items: r._count.items,
      reviews: r._count.reviews,
      first: r.items[0] ? { cluster: r.items[0].cluster, namespace: r.items[0].namespace, serviceAccount: r.items[0].serviceAccount, roleArn: r.items[0].roleArn } : null,
    })),
  };
}
