// Blue/Green services: read the move from the latest scan and file the
// approval-gated requests (copy associations, re-point IRSA trust, clean up a
// retired issuer). Cluster names and issuers come from the client; everything
// else (associations, roles, documents) is recomputed here from the scan.
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import type { PrismaClient } from "@/lib/db/generated/client";
import { clusterRefsOfScan, loadClusterSegment } from "@/lib/inventory/scan/segments";
import { latestSnapshot, snapshotOfScan } from "@/lib/inventory/scan/store";
import { pairClusters, parseConfiguredPairs, type ClusterPair } from "@/lib/inventory/views/cluster-summaries";
import type { InventorySnapshot } from "@/lib/inventory/snapshot-types";
// Apply refuses to overwrite a trust that changed after filing (trustHash, lib/requests/trust-guard.ts).
import { createRequest, fileRequest, locationOf, trustHash, type Actor, type RequestsDeps } from "@/lib/requests";
import { classifyIssuers, type OtherIssuerUse } from "./issuers";
import { computeCleanup, computeMove, emptyTrustRefusal, parseRetiredClusters, repointFilter, type CleanupPlan, type MovePlan, type RetiredIssuer, type RoleTrustPlan } from "./plan";
import { formatPolicy } from "@/lib/inventory/fixes";
import { cleanupTrust, issuerHost, providerArnFor, repointTrust, type TrustEdit } from "./trust";

const clusterName = z.string().trim().min(1).max(100).regex(/^[0-9A-Za-z][A-Za-z0-9\-_]*$/, "must be a cluster name");
const justification = z.preprocess((v) => (v === "" || v === null ? undefined : v), z.string().trim().min(10, "explain why in at least 10 characters").max(2000).optional());
export const pairInputSchema = z.object({ blue: clusterName, green: clusterName, justification });
type PairInput = z.infer<typeof pairInputSchema>;
export const cleanupInputSchema = z.object({
  issuer: z.string().trim().min(5).max(300).regex(/^(https:\/\/)?[a-z0-9.-]+(\/[A-Za-z0-9._-]+)*$/, "must be an OIDC issuer (oidc.eks.<region>.amazonaws.com/id/<ID>)"),
  justification,
});
type CleanupInput = z.infer<typeof cleanupInputSchema>;

async function snapshotOrFail(prisma: PrismaClient): Promise<{ scanId: string; snapshot: InventorySnapshot }> {
  const latest = await latestSnapshot(prisma);
  if (!latest) throw new DomainError("conflict", "No inventory scan yet: run a scan (Rescan) first.");
  return latest;
}

export interface BlueGreenOverview {
  scanId: string | null;
  scannedAt?: string;
  pairs: (ClusterPair & { plan?: MovePlan; error?: string })[];
  /** EKS issuers RoleGate can prove retired, each with its clean-up plan (or why none can be filed). */
  retired: (RetiredIssuer & { roleArns: string[]; plan?: CleanupPlan; error?: string })[];
  /** Issuers never offered for clean-up: other web-identity providers, and EKS issuers of clusters RoleGate cannot see. */
  other: OtherIssuerUse[];
}

/**
 * Issuer host -> cluster name from older scans (newest first, a few only), for naming retired issuers.
 * Only the clusters not live any more are read, one segment each (a content seen in a newer scan
 * once); a scan stored as one document (before segments) is read whole.
 */
async function issuersOfPastClusters(prisma: PrismaClient, live: Set<string>, limit = 6): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  const scans = await prisma.scan.findMany({ where: { status: { in: ["succeeded", "partial"] } }, orderBy: { startedAt: "desc" }, take: limit, select: { id: true } });
  for (const s of scans.slice(1)) {
    const refs = await clusterRefsOfScan(prisma, s.id);
    const gone = refs?.filter((r) => !live.has(r.name) && !seen.has(r.contentHash));
    for (const r of gone ?? []) seen.add(r.contentHash);
    const clusters = gone ? await Promise.all(gone.map((r) => loadClusterSegment(prisma, s.id, r))) : ((await snapshotOfScan(prisma, s.id))?.clusters ?? []);
    for (const c of clusters) {
      const h = c?.oidcIssuer && issuerHost(c.oidcIssuer).toLowerCase();
      if (h && !live.has(c.name) && !out.has(h)) out.set(h, c.name);
    }
  }
  return out;
}

export async function loadBlueGreen(prisma: PrismaClient): Promise<BlueGreenOverview> {
  const latest = await latestSnapshot(prisma);
  if (!latest) return { scanId: null, pairs: [], retired: [], other: [] };
  const { snapshot } = latest;
  const names = snapshot.clusters.map((c) => c.name);
  const pairs = pairClusters(names, parseConfiguredPairs(process.env.ROLEGATE_BLUE_GREEN_PAIRS)).map((p) => {
    try {
      return { ...p, plan: computeMove(snapshot, p.blue, p.green) };
    } catch (e) {
      return { ...p, error: (e as Error).message };
    }
  });
  const past = await issuersOfPastClusters(prisma, new Set(names));
  const marked = parseRetiredClusters(process.env.ROLEGATE_RETIRED_CLUSTERS);
  const issuers = classifyIssuers(snapshot, past, marked);
  const retired = issuers.retired.map((r) => {
    const base = { host: r.issuer, roles: r.roles.length, roleArns: r.roles, ...(r.cluster ? { cluster: r.cluster } : {}) };
    try {
      return { ...base, plan: computeCleanup(snapshot, r.issuer, marked) };
    } catch (e) {
      return { ...base, error: (e as Error).message };
    }
  });
  return { scanId: latest.scanId, scannedAt: snapshot.scannedAt, pairs, retired, other: issuers.other };
}

export async function loadMove(prisma: PrismaClient, blue: string, green: string): Promise<MovePlan> {
  const { snapshot } = await snapshotOrFail(prisma);
  for (const name of [blue, green]) {
    if (!snapshot.clusters.some((c) => c.name === name)) throw new DomainError("not_found", `${name} is not in the latest scan: rescan, or check the cluster name.`);
  }
  return computeMove(snapshot, blue, green);
}

/** "Copy mappings to Green": one batch request, one create item per association missing on Green. */
export async function fileCopyRequest(deps: RequestsDeps, actor: Actor, input: PairInput): Promise<{ id: string; status: string; items: number; skipped: number }> {
  const plan = await loadMove(deps.prisma, input.blue, input.green);
  if (!plan.copies.length) throw new DomainError("conflict", `Every association of ${plan.blue} already exists on ${plan.green}: nothing to copy.`);
  const r = await createRequest(deps, actor, {
    kind: "batch",
    // Green's node role may list mapped roles exhaustively: include the node-role fix the prechecks suggest.
    includeIamFixes: true,
    justification: `[blue-green:copy ${plan.blue} -> ${plan.green}] ${input.justification ?? `Copy ${plan.copies.length} pod identity association(s) of ${plan.blue} to ${plan.green}.`}`,
    items: plan.copies.map((c) => ({
      kind: "create" as const,
      cluster: plan.green,
      accountId: plan.accountId,
      region: plan.region,
      namespace: c.namespace,
      serviceAccount: c.serviceAccount,
      roleArn: c.roleArn,
      ...(c.targetRoleArn ? { targetRoleArn: c.targetRoleArn } : {}),
      disableSessionTags: c.disableSessionTags,
      ...(c.policy ? { sessionPolicy: c.policy } : {}),
      tags: { "rolegate/copied-from": plan.blue },
    })),
  });
  return { id: r.id, status: r.status, items: plan.copies.length, skipped: plan.skipped.length };
}

/** One request of "iam-trust-update" items (UpdateAssumeRolePolicy), approved by the IAM team. */
async function fileTrustRequest(
  deps: RequestsDeps,
  actor: Actor,
  where: { cluster: string; region: string },
  planned: RoleTrustPlan[],
  recompute: (trustPolicy: string, accountId: string, roleArn: string) => TrustEdit,
  justification: string,
  tag: string,
) {
  // The documents are made from each role's trust as IAM has it now, not as the scan saw it:
  // an edit made since the scan is kept, and a role already done drops out.
  const roles: (RoleTrustPlan & { baseHash: string })[] = [];
  const refused: string[] = [];
  for (const r of planned) {
    const live = await deps.aws.iam.getRole(locationOf(deps.targets, { accountId: r.accountId, region: where.region }), r.roleArn);
    if (!live) continue;
    const edit = recompute(live.trustPolicy, r.accountId, r.roleArn);
    if (!edit.added.length && !edit.removed.length && !edit.changed.length) continue;
    // Checked on the live trust too: an UpdateAssumeRolePolicy with "Statement": [] is never filed.
    const empty = emptyTrustRefusal(edit, r.roleName);
    if (empty) refused.push(empty);
    else roles.push({ ...r, edit, baseHash: trustHash(live.trustPolicy) });
  }
  if (!roles.length && refused.length) throw new DomainError("conflict", refused.join(" "));
  if (!roles.length) throw new DomainError("conflict", "IAM already has every change of this plan (the scan is older than the trust policies): rescan and reload the page.");
  const rows = roles.map((r) => ({ cluster: where.cluster, accountId: r.accountId, region: where.region, namespace: "*", serviceAccount: "*", roleArn: r.roleArn }));
  // "iam-trust-update" items: the IAM team approves them (item-kinds.ts).
  const { id } = await fileRequest(deps, {
    kind: "batch",
    requester: actor,
    justification,
    items: roles.map((r, position) => ({ kind: "iam-trust-update", ...rows[position]!, iamPolicyDocument: formatPolicy(r.edit.after), iamBaseHash: r.baseHash })),
    audit: {
      details: ({ policy }) => ({ kind: "batch", bluegreen: tag, items: roles.length, iamItems: roles.map((r) => `iam-trust-update ${r.roleArn}`), requiredApprovals: policy.requiredApprovals }),
    },
    notification: `${actor.login} requested ${tag}: trust policy update of ${roles.length} role(s)`,
  });
  return { id, status: "pending" as const, items: roles.length };
}

/** IRSA re-pointing: add the Green issuer's statements next to the Blue ones. */
export async function fileRepointRequest(deps: RequestsDeps, actor: Actor, input: PairInput) {
  const plan = await loadMove(deps.prisma, input.blue, input.green);
  if (!plan.repoint.length) throw new DomainError("conflict", `Every IRSA role trusting ${plan.blue} already trusts ${plan.green} for the same subjects.`);
  const why = input.justification ?? `Trust ${plan.green}'s issuer for the subjects ${plan.blue}'s issuer is trusted for, in ${plan.repoint.length} role(s).`;
  const blueIssuer = plan.blueIssuer!;
  const greenIssuer = plan.greenIssuer!;
  // The same statements the plan shows are left out stay out when recomputed from the live trust.
  const { snapshot } = await snapshotOrFail(deps.prisma);
  const exclude = repointFilter(snapshot, plan.blue, plan.green);
  const recompute = (trust: string, accountId: string, roleArn: string) =>
    repointTrust(trust, providerArnFor(accountId, blueIssuer), providerArnFor(accountId, greenIssuer), (st) => exclude(roleArn, st) === null);
  return fileTrustRequest(deps, actor, { cluster: plan.green, region: plan.region }, plan.repoint, recompute, `[blue-green:repoint ${plan.blue} -> ${plan.green}] ${why}`, "IRSA re-pointing");
}

/** Clean-up after retirement: remove only the retired issuer from the trust policies naming it. */
export async function fileCleanupRequest(deps: RequestsDeps, actor: Actor, input: CleanupInput) {
  const { snapshot } = await snapshotOrFail(deps.prisma);
  let plan: CleanupPlan;
  try {
    plan = computeCleanup(snapshot, input.issuer, parseRetiredClusters(process.env.ROLEGATE_RETIRED_CLUSTERS));
  } catch (e) {
    throw new DomainError("conflict", (e as Error).message);
  }
  if (!plan.roles.length && plan.refused.length) throw new DomainError("conflict", `Nothing to clean up for ${plan.host}: ${plan.refused.map((r) => r.reason).join(" ")}`);
  if (!plan.roles.length) throw new DomainError("conflict", `No trust policy names ${plan.host} any more: nothing to clean up.`);
  const region = /oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com/.exec(plan.host)?.[1] ?? snapshot.clusters[0]?.region ?? "us-east-1";
  const why = input.justification ?? `Remove the retired issuer ${plan.host} from ${plan.roles.length} trust polic(ies); statements of live clusters are kept.`;
  const recompute = (trust: string, accountId: string) => cleanupTrust(trust, providerArnFor(accountId, plan.host));
  const formerly =
    snapshot.clusters.find((c) => c.oidcIssuer && issuerHost(c.oidcIssuer).toLowerCase() === plan.host.toLowerCase())?.name ??
    (await issuersOfPastClusters(deps.prisma, new Set(snapshot.clusters.map((c) => c.name)))).get(plan.host.toLowerCase());
  return fileTrustRequest(deps, actor, { cluster: formerly ?? "(retired)", region }, plan.roles, recompute, `[blue-green:cleanup ${plan.host}] ${why}`, "retired issuer clean-up");
}
