// The context of a request's decision screen that lives in the database and the
// latest scan: the requester's last requests and how they ended, and for each
// IAM item the statement-level diff against the policy the role has now.
import type { PrismaClient } from "@/lib/db/generated/client";
import { policyDiff, type PolicyDiff } from "./policy-diff";

const HISTORY = 5;

/** The requester's latest other requests, newest first, with their outcome. */
export async function requesterHistory(prisma: PrismaClient, requesterId: string, exceptId: string) {
  const rows = await prisma.request.findMany({
    where: { requesterId, id: { not: exceptId } },
    orderBy: { createdAt: "desc" },
    take: HISTORY,
    include: { items: { orderBy: { position: "asc" }, take: 1 }, _count: { select: { items: true } } },
  });
  return rows.map((r) => {
    const first = r.items[0];
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      summary: first ? `${first.kind} ${first.namespace}/${first.serviceAccount} on ${first.cluster}${r._count.items > 1 ? ` (+${r._count.items - 1} more)` : ""}` : r.kind,
    };
  });
}

export type ItemDiff = PolicyDiff & { currentKnown: boolean };

/** Per IAM item id: what it writes against what the role has (`current` says what the scan read, or that it has not seen the role). */
export function iamItemDiffs(
  items: { id: string; kind: string; roleArn: string | null; iamPolicyName: string | null; iamPolicyDocument: string | null }[],
  current: (item: { kind: string; roleArn: string | null; iamPolicyName: string | null }) => { known: boolean; document: string | null },
): Record<string, ItemDiff> {
  const out: Record<string, ItemDiff> = {};
  for (const i of items) {
    if (!i.iamPolicyDocument) continue;
    const now = current(i);
    out[i.id] = { ...policyDiff(now.document, i.iamPolicyDocument), currentKnown: now.known };
  }
  return out;
}
