// One change event, applied: it names what changed, RoleGate re-reads just that
// (an association: Describe; a role: GetRole; the OIDC providers: List) and
// updates what it keeps. Events are hints, never state: the state written is what
// AWS answers now, so a late (reordered) or repeated event can only re-confirm it.
// Writes are guarded per cluster (row lock) and by time: a row read after this
// re-read began (by another event, replica or a refresh) is never overwritten,
// nor is an association whose stored modifiedAt is newer than the one read.
// Drift the change brings (a finding that is new or different) goes to the
// webhook as a notice job in the same transaction, keyed by the event's id.
// What was re-read is also recorded as an inventory change (lib/inventory/changes,
// same transaction) in the scan's snapshot shape: the inventory view applies it
// to who-can-assume-what until the next scan.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import type { Target } from "@/lib/config/schema";
import { AwsCallError, type AssociationDetail, type EksGateway, type IamGateway } from "@/lib/aws";
import { associationRow, lockClusterAssociations } from "@/lib/inventory/association-cache";
import { recordInventoryChange } from "@/lib/inventory/changes";
import { toSnapshotRole } from "@/lib/inventory/scan/scan-account";
import { toSnapshotAssociation } from "@/lib/inventory/scan/scan-cluster";
import type { SnapshotRole } from "@/lib/inventory/snapshot-types";
import { driftOf, type DriftFinding, type DriftKinds } from "@/lib/drift/state";
import { enqueueJob } from "@/lib/jobs/queue";
import type { Notification } from "@/lib/jobs/webhook";
import { locationOf } from "@/lib/requests";
import { madeByRoleGate, type ChangeEvent } from "./events";

export interface FreshnessDeps {
  prisma: PrismaClient;
  eks: EksGateway;
  iam: IamGateway;
  targets: Target[];
  /** The item-kind registry: which applied items put an association in force (the drift a change brings). */
  kinds: DriftKinds;
  now?: () => Date;
}

/** applied: the cache now holds what AWS has; stale: something newer was already stored; ignored: not RoleGate's to track. */
export type EventOutcome = "applied" | "unchanged" | "stale" | "ignored";

export interface AppliedEvent {
  outcome: EventOutcome;
  /** The drift finding of the touched service account after the change (association events). */
  finding?: DriftFinding | null;
  /** A webhook notice was queued. */
  noticed?: boolean;
}

const watched = (targets: Target[], accountId: string, region?: string) =>
  targets.some((t) => t.accountId === accountId && (region === undefined || t.region === region));

async function describeOrNull(deps: FreshnessDeps, e: Extract<ChangeEvent, { kind: "association" }>): Promise<AssociationDetail | null> {
  try {
    return await deps.eks.describeAssociation(locationOf(deps.targets, e), e.cluster, e.associationId);
  } catch (err) {
    if (err instanceof AwsCallError && err.code === "ResourceNotFoundException") return null;
    throw err;
  }
}

function driftNotice(e: ChangeEvent, f: DriftFinding): Notification {
  const where = `${f.cluster}/${f.namespace}/${f.serviceAccount}`;
  return {
    event: `drift.${f.kind}`,
    requestId: "",
    path: "/drift",
    text: `${where} (${f.accountId}/${f.region}): ${f.differences.join("; ")} — ${e.eventName} by ${e.actor} at ${e.eventTime.toISOString()}`,
  };
}

const sameFinding = (a: DriftFinding | null, b: DriftFinding | null) => (a?.kind ?? null) === (b?.kind ?? null) && (a?.differences.join("\n") ?? "") === (b?.differences.join("\n") ?? "");

export async function applyAssociationEvent(deps: FreshnessDeps, e: Extract<ChangeEvent, { kind: "association" }>): Promise<AppliedEvent> {
  if (!watched(deps.targets, e.accountId, e.region)) return { outcome: "ignored" };
  const cluster = await deps.prisma.cluster.findUnique({ where: { accountId_region_name: { accountId: e.accountId, region: e.region, name: e.cluster } }, select: { id: true } });
  // A cluster no refresh has read yet: the next refresh reads it whole.
  if (!cluster) return { outcome: "ignored" };
  const observedAt = (deps.now ?? (() => new Date()))();
  const detail = await describeOrNull(deps, e);
  return deps.prisma.$transaction(async (tx) => {
    // One writer per cluster at a time (events on several replicas, a refresh).
    await lockClusterAssociations(tx, cluster.id);
    const result = await writeAssociation(tx, deps.kinds, cluster.id, observedAt, detail, e);
    // What AWS answered, for the inventory view (not when a newer read was already stored: its event recorded that).
    if (result.outcome !== "stale") await recordInventoryChange(tx, e.eventTime, { kind: "association", accountId: e.accountId, region: e.region, cluster: e.cluster, associationId: e.associationId, association: detail ? toSnapshotAssociation(detail) : null });
    return result;
  });
}

type Tx = Prisma.TransactionClient;

async function writeAssociation(tx: Tx, kinds: DriftKinds, clusterId: string, observedAt: Date, detail: AssociationDetail | null, e: Extract<ChangeEvent, { kind: "association" }>): Promise<AppliedEvent> {
  const row = await tx.podIdentityAssociation.findUnique({ where: { clusterId_associationId: { clusterId: clusterId, associationId: e.associationId } } });
  const namespace = detail?.namespace ?? row?.namespace ?? e.namespace;
  const serviceAccount = detail?.serviceAccount ?? row?.serviceAccount ?? e.serviceAccount;
  if (!namespace || !serviceAccount) return { outcome: "unchanged" as const };
  const loc = { accountId: e.accountId, region: e.region, cluster: e.cluster, namespace, serviceAccount };
  const before = await driftOf(tx, kinds, clusterId, loc);
  if (detail) {
    const bySa = await tx.podIdentityAssociation.findFirst({ where: { clusterId: clusterId, namespace, serviceAccount } });
    const newer = [row, bySa].some((r) => r && r.refreshedAt > observedAt) || (row && row.awsModifiedAt > detail.modifiedAt);
    if (newer) return { outcome: "stale" as const, finding: before };
    // One association per service account: another id still cached for the SA is gone in AWS.
    await tx.podIdentityAssociation.deleteMany({ where: { clusterId: clusterId, namespace, serviceAccount, NOT: { associationId: detail.associationId } } });
    const data = associationRow(clusterId, detail, observedAt);
    await tx.podIdentityAssociation.upsert({ where: { clusterId_associationId: { clusterId: clusterId, associationId: detail.associationId } }, create: data, update: data });
  } else {
    if (!row) return { outcome: "unchanged" as const, finding: before };
    if (row.refreshedAt > observedAt) return { outcome: "stale" as const, finding: before };
    await tx.podIdentityAssociation.delete({ where: { id: row.id } });
  }
  const after = await driftOf(tx, kinds, clusterId, loc);
  // RoleGate's own change may land here before its apply is recorded: no notice for it (the drift view settles once it is).
  const noticed = Boolean(after && !sameFinding(before, after) && !madeByRoleGate(e));
  if (after && noticed) await enqueueJob(tx, { queue: "notify", key: `drift:${e.eventId}:${after.key}`, payload: { ...driftNotice(e, after) } });
  return { outcome: "applied" as const, finding: after, noticed };
}

/** A role (or its trust or policies) changed: re-read it; outside RoleGate, tell the webhook what it touches. */
export async function applyRoleEvent(deps: FreshnessDeps, e: Extract<ChangeEvent, { kind: "role" }>): Promise<AppliedEvent> {
  if (!watched(deps.targets, e.accountId)) return { outcome: "ignored" };
  const location = locationOf(deps.targets, e);
  const role = await readRole(deps, location, e.roleName);
  const exists = role !== null;
  return deps.prisma.$transaction(async (tx) => {
    await recordInventoryChange(tx, e.eventTime, { kind: "role", accountId: e.accountId, roleName: e.roleName, role });
    if (madeByRoleGate(e)) return { outcome: "applied" as const };
    const used = await tx.podIdentityAssociation.count({ where: { roleArn: { endsWith: `:role/${e.roleName}` }, cluster: { accountId: e.accountId } } });
    const text = `${e.eventName} on role ${e.roleName} in ${e.accountId} by ${e.actor} at ${e.eventTime.toISOString()}, outside RoleGate; the role ${exists ? "exists" : "no longer exists"}${used ? ` and ${used} cached association(s) use it` : ""}. Who can assume it is updated in the inventory now; the next scan confirms it.`;
    await enqueueJob(tx, { queue: "notify", key: `role-change:${e.eventId}`, payload: { event: "role.changed_outside", requestId: "", path: "/drift", text } satisfies Notification as unknown as Record<string, unknown> });
    return { outcome: "applied" as const, noticed: true };
  });
}

/** The role as a scan reads it, with its policies (kept for node roles, as the scan's second pass); null: it no longer exists. */
async function readRole(deps: FreshnessDeps, location: ReturnType<typeof locationOf>, roleName: string): Promise<SnapshotRole | null> {
  try {
    const role = toSnapshotRole(await deps.iam.getRole(location, roleName));
    role.inlinePolicies = await deps.iam.inlinePolicies(location, roleName);
    role.attachedPolicyArns = await deps.iam.listAttachedPolicyArns(location, roleName);
    return role;
  } catch (err) {
    if (err instanceof AwsCallError && (err.code === "NoSuchEntity" || err.code === "NoSuchEntityException")) return null;
    throw err;
  }
}

/** An OIDC provider was created or deleted: re-read the account's providers; outside RoleGate, a notice. */
export async function applyOidcEvent(deps: FreshnessDeps, e: Extract<ChangeEvent, { kind: "oidc-provider" }>): Promise<AppliedEvent> {
  if (!watched(deps.targets, e.accountId)) return { outcome: "ignored" };
  const location = locationOf(deps.targets, e);
  const providerArns = await deps.iam.listOidcProviderArns(location);
  // The scan's read: each provider's URL and client ids.
  const providers = await Promise.all(providerArns.sort().map((arn) => deps.iam.getOidcProvider(location, arn)));
  return deps.prisma.$transaction(async (tx) => {
    await recordInventoryChange(tx, e.eventTime, { kind: "oidc-providers", accountId: e.accountId, providers });
    if (madeByRoleGate(e)) return { outcome: "applied" as const };
    const present = e.providerArn ? providerArns.includes(e.providerArn) : undefined;
    const text = `${e.eventName} ${e.providerArn ?? ""} in ${e.accountId} by ${e.actor} at ${e.eventTime.toISOString()}, outside RoleGate; the account has ${providerArns.length} OIDC provider(s)${present === undefined ? "" : present ? ", this one included" : ", not this one"}. IRSA trust that names it changes with it.`;
    await enqueueJob(tx, { queue: "notify", key: `oidc-change:${e.eventId}`, payload: { event: "oidc.changed_outside", requestId: "", path: "/drift", text } satisfies Notification as unknown as Record<string, unknown> });
    return { outcome: "applied" as const, noticed: true };
  });
}

export async function applyChangeEvent(deps: FreshnessDeps, e: ChangeEvent): Promise<AppliedEvent> {
  switch (e.kind) {
    case "association":
      return applyAssociationEvent(deps, e);
    case "role":
      return applyRoleEvent(deps, e);
    case "oidc-provider":
      return applyOidcEvent(deps, e);
    default:
      return { outcome: "ignored" };
  }
}
