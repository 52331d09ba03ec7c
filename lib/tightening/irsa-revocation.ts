// One service account out of a role's IRSA trust, on one cluster's issuer, filed
// as ONE "iam-trust-update" item (the IAM team approves it, lib/requests item
// kinds): the exact subject removed, open statements (wildcard :sub, no :sub)
// tightened to the subjects in use minus this SA (./irsa-narrow.ts). The access
// reviews' IRSA revoke files it. The document is computed from the trust as IAM
// has it now and the item carries that trust's hash: apply refuses to overwrite
// a trust edited since (lib/requests/trust-guard.ts).
import { DomainError } from "@/lib/core/errors";
import { textDiff } from "@/lib/inventory/fixes/diff";
import { formatPolicy, readPolicy } from "@/lib/inventory/fixes/policy-json";
import { readSubjectRemoval } from "@/lib/migration/file-irsa-cleanup";
import type { MigrationTarget } from "@/lib/migration/file-migration";
import { fileRequest, resolveLocation, trustHash, type Actor, type PrecheckResult, type RequestsDeps, type Tx } from "@/lib/requests";
import { narrowIrsaTrust, type ClusterSa, type IrsaNarrowing } from "./irsa-narrow";

/** The mapping to take out: the SA on its cluster (account, region) and the role. */
export type IrsaRevocationTarget = MigrationTarget & { accountId: string; region: string };

export interface IrsaRevocationPlan {
  providerArn: string;
  current: string;
  proposed: string;
  diff: string;
  /** sha256 of the trust the proposal was computed from: the filed item's lost-update guard. */
  baseHash: string;
  narrowing: IrsaNarrowing;
}

type PlanDeps = Pick<RequestsDeps, "prisma" | "aws" | "targets">;

/** The trust without the SA, or DomainError(conflict) saying why it cannot be filed and what to do. */
export async function planIrsaRevocation(deps: PlanDeps, t: IrsaRevocationTarget, clusterSas: ClusterSa[] | null): Promise<IrsaRevocationPlan> {
  const location = await resolveLocation(deps.prisma, deps.targets, t);
  const read = await readSubjectRemoval(deps, location, t);
  if ("problem" in read) throw new DomainError("unavailable", `${read.problem} Try again once it can be read.`);
  const narrowing = narrowIrsaTrust(read.trustPolicy, read.providerArn, t, clusterSas);
  if (narrowing.problem) throw new DomainError("conflict", `Cannot revoke ${t.namespace}/${t.serviceAccount} from ${t.roleArn}: ${narrowing.problem}`);
  const current = formatPolicy(readPolicy(read.trustPolicy));
  const proposed = formatPolicy(narrowing.policy);
  return { providerArn: read.providerArn, current, proposed, diff: textDiff(current, proposed, ["current trust", "without the service account"]), baseHash: trustHash(read.trustPolicy), narrowing };
}

/** What the approver reads next to the diff: statements tightened, who keeps the role, who loses it. */
function impactCheck(t: IrsaRevocationTarget, n: IrsaNarrowing): PrecheckResult {
  const tightened = n.narrowed.map((s) => (s.kept.length ? `statement ${s.statement} (${s.was}) now names ${s.kept.length} subject(s) in use` : `statement ${s.statement} (${s.was}) is dropped: no other service account uses it`));
  const parts = [
    `${t.namespace}/${t.serviceAccount} on ${t.cluster} can no longer assume the role.`,
    n.exactEdits ? `Its exact subject is removed from ${n.exactEdits} statement(s).` : "",
    tightened.length ? `Tightened: ${tightened.join("; ")}.` : "",
    `${n.keeps.length} other service account(s) keep it.`,
    n.loses.length ? `${n.loses.length} service account(s) that match the pattern today but do not reference the role lose it: ${n.loses.join(", ")}.` : "",
  ];
  return { id: "irsa-revocation-impact", item: 0, status: n.loses.length ? "warn" : "pass", message: parts.filter(Boolean).join(" ") };
}

/**
 * Files the revocation; `inTx` runs in the request's transaction (the caller's
 * decision and audit row commit with the request or not at all).
 */
export async function fileIrsaRevocation(
  deps: RequestsDeps,
  actor: Actor,
  t: IrsaRevocationTarget,
  clusterSas: ClusterSa[] | null,
  filing: { justification: string; inTx?: (tx: Tx, requestId: string) => Promise<void>; details?: Record<string, unknown> },
): Promise<string> {
  // Another open change of the same trust: whichever applies second is refused at apply (its base hash
  // is stale) and is filed again. Said to the approver, not refused: a review decision must not wait on
  // an unrelated request.
  const open = await deps.prisma.requestItem.findFirst({ where: { kind: "iam-trust-update", roleArn: t.roleArn, request: { status: { in: ["pending", "changes_requested", "approved", "applying"] } } } });
  const plan = await planIrsaRevocation(deps, t, clusterSas);
  const item = { cluster: t.cluster, namespace: t.namespace, serviceAccount: t.serviceAccount, roleArn: t.roleArn };
  const n = plan.narrowing;
  const { id } = await fileRequest(deps, {
    kind: "batch",
    requester: actor,
    justification: filing.justification,
    items: [{ kind: "iam-trust-update", ...item, accountId: t.accountId, region: t.region, iamPolicyName: null, iamPolicyDocument: JSON.stringify(n.policy), iamBaseHash: plan.baseHash }],
    prechecks: [
      impactCheck(t, n),
      ...(open ? [{ id: "irsa-revocation-concurrent", item: 0, status: "warn" as const, message: `Request ${open.requestId} also changes the trust of ${t.roleArn}: whichever of the two is applied second is refused at apply (the trust it was based on changed) and has to be filed again.` }] : []),
    ],
    more: async (tx, requestId) => {
      await filing.inTx?.(tx, requestId);
    },
    audit: {
      item,
      details: ({ policy }) => ({
        kind: "batch", providerArn: plan.providerArn, iamItems: [`iam-trust-update ${t.roleArn}`], requiredApprovals: policy.requiredApprovals,
        exactEdits: n.exactEdits, narrowed: n.narrowed, loses: n.loses, ...filing.details,
      }),
    },
    notification: `${actor.login} asks to remove ${t.namespace}/${t.serviceAccount} on ${t.cluster} from the IRSA trust of ${t.roleArn}${n.narrowed.length ? " (tightening its open statement to the service accounts that use it)" : ""}`,
  });
  return id;
}
