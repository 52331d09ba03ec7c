// Prechecks run again on a filed request: when a reviewer opens it (page, API)
// and at apply time. The latest results replace the stored ones, with their time.
import type { RequestsGateway } from "@/lib/aws/requests-gateway";
import type { Target } from "@/lib/config/schema";
import type { Prisma, PrismaClient, RequestItem } from "@/lib/db/generated/client";
import { DomainError } from "@/lib/core/errors";
import { now, type RequestsDeps } from "./deps";
import type { ItemKinds } from "./item-kinds";
import { precheckItem } from "./item-fields";
import { runPrechecks, type PrecheckResult } from "./prechecks";
import type { PlacementKube, PrecheckContext } from "./prechecks/types";
import { BLOCKING_AT_APPLY } from "./check-verdict";
import { bornRolesOf, withBornRoles } from "./create-role/born-roles";

/** Checks whose failure at apply time stops the item (kept in check-verdict.ts, which the request page also reads). */
export { BLOCKING_AT_APPLY };


export function locationOf(targets: Target[], item: Pick<RequestItem, "accountId" | "region">) {
  const target = targets.find((t) => t.accountId === item.accountId && t.region === item.region) ?? targets.find((t) => t.accountId === item.accountId);
  return { accountId: item.accountId, region: item.region, ...(target?.assumeRoleArn ? { assumeRoleArn: target.assumeRoleArn } : {}) };
}

/** Where a cross-account target role is read: its own account, with the credentials configured for it (undefined: no target role). */
export function targetRoleLocation(targets: Target[], item: { targetRoleArn?: string | null; region: string }) {
  const account = item.targetRoleArn?.split(":")[4];
  return account ? locationOf(targets, { accountId: account, region: item.region }) : undefined;
}

/** Runs the prechecks of the request's association items (results indexed by item position). */
export async function checkStoredItems(aws: RequestsGateway, kinds: ItemKinds, targets: Target[], items: RequestItem[], kube?: PlacementKube): Promise<PrecheckResult[]> {
  const association = items.filter((i) => kinds.runsAssociationPrechecks(i.kind));
  const checked = await runPrechecks(withBornRoles(aws, bornRolesOf(items)), association.map((i) => ({ item: precheckItem(i), location: locationOf(targets, i), targetLocation: targetRoleLocation(targets, i) })), undefined, kube);
  const results = checked.flatMap((c, k) => c.results.map((r) => ({ ...r, item: association[k]!.position })));
  // Kinds that declare their own checks (a failing read is a failed check, not a failed refresh).
  for (const i of items) {
    const check = kinds.checkOf(i.kind);
    if (!check) continue;
    const out = await check(locationOf(targets, i), i).catch((e: unknown) => [{ id: `${i.kind}-precheck`, status: "fail" as const, message: (e as Error).message }]);
    results.push(...out.map((r) => ({ ...r, item: i.position })));
  }
  return results;
}

export async function storePrechecks(prisma: Pick<PrismaClient, "request">, requestId: string, prechecks: PrecheckResult[], at: Date): Promise<void> {
  await prisma.request.update({ where: { id: requestId }, data: { prechecks: prechecks as unknown as Prisma.InputJsonValue, prechecksAt: at } });
}

/**
 * The request's prechecks run now, returned but not stored (AWS reads only). Requests without
 * association items (IAM-only clean-ups, extensions) keep the prechecks stored at filing: `kept`.
 */
export async function freshPrechecks(deps: RequestsDeps, requestId: string): Promise<{ prechecks: PrecheckResult[]; prechecksAt: Date; kept?: true }> {
  const request = await deps.prisma.request.findUnique({ where: { id: requestId }, include: { items: { orderBy: { position: "asc" } } } });
  if (!request) throw new DomainError("not_found", `There is no request ${requestId}.`);
  if (request.items.every((i) => !deps.kinds.runsAssociationPrechecks(i.kind) && !deps.kinds.checkOf(i.kind)) && Array.isArray(request.prechecks) && request.prechecks.length) {
    return { prechecks: request.prechecks as unknown as PrecheckResult[], prechecksAt: request.prechecksAt ?? request.createdAt, kept: true };
  }
  return { prechecks: await checkStoredItems(deps.aws, deps.kinds, deps.targets, request.items, deps.kube), prechecksAt: now(deps) };
}

/** Re-runs and stores the prechecks of a request; returns them with their time. */
export async function refreshPrechecks(deps: RequestsDeps, requestId: string): Promise<{ id: string; prechecks: PrecheckResult[]; prechecksAt: Date }> {
  const { prechecks, prechecksAt, kept } = await freshPrechecks(deps, requestId);
  if (!kept) await storePrechecks(deps.prisma, requestId, prechecks, prechecksAt);
  return { id: requestId, prechecks, prechecksAt };
}

/** The blocking failures of one item, as one reason, or null. */
export function blockingFailure(results: PrecheckResult[]): string | null {
  const failed = results.filter((r) => r.status === "fail" && BLOCKING_AT_APPLY.has(r.id));
  return failed.length ? failed.map((r) => `${r.id}: ${r.message}`).join(" ") : null;
}
