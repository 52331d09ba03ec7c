// The tightened-trust preview of one role: its trust as IAM has it now, the
// associations of the mappings cache that name it, the document with the open
// Pod Identity statements conditioned on those associations, and what each
// association would do under it (lib/trust's evaluator decides).
import { DomainError } from "@/lib/core/errors";
import { formatPolicy, readPolicy } from "@/lib/inventory/fixes/policy-json";
import { textDiff } from "@/lib/inventory/fixes/diff";
import { locationOf, trustHash, type RequestsDeps } from "@/lib/requests";
import { openPodIdentityStatements, parseTrustPolicy, tightenTrust, tighteningImpact, type TrustUse, type UseImpact } from "@/lib/trust";

export interface TightenPreview {
  roleArn: string;
  /** The role trusts pods.eks.amazonaws.com in some Allow without any condition. */
  open: boolean;
  /** Why nothing can be filed (no open statement, nothing uses the role...), or null. */
  problem: string | null;
  current: string;
  proposed: string | null;
  diff: string | null;
  /** sha256 of the trust the proposal was computed from: the filed item's lost-update guard. */
  baseHash: string;
  impact: (UseImpact & { cluster: string; associationId: string })[];
}

type PreviewDeps = Pick<RequestsDeps, "prisma" | "aws" | "targets">;

async function usesOf(prisma: PreviewDeps["prisma"], roleArn: string) {
  const rows = await prisma.podIdentityAssociation.findMany({
    where: { roleArn },
    include: { cluster: true },
    orderBy: [{ cluster: { name: "asc" } }, { namespace: "asc" }, { serviceAccount: "asc" }],
  });
  return rows.map((a) => ({
    cluster: a.cluster.name,
    region: a.cluster.region,
    associationId: a.associationId,
    use: {
      clusterArn: a.cluster.arn ?? `arn:aws:eks:${a.cluster.region}:${a.cluster.accountId}:cluster/${a.cluster.name}`,
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      sessionTags: !a.disableSessionTags,
    } satisfies TrustUse,
  }));
}

export async function previewTightenedTrust(deps: PreviewDeps, roleArn: string): Promise<TightenPreview> {
  const account = roleArn.split(":")[4]!;
  const uses = await usesOf(deps.prisma, roleArn);
  const target = deps.targets.find((t) => t.accountId === account);
  const region = uses[0]?.region ?? target?.region;
  if (!region) throw new DomainError("not_found", `Account ${account} is not watched: RoleGate cannot read ${roleArn}.`);
  const role = await deps.aws.iam.getRole(locationOf(deps.targets, { accountId: account, region }), roleArn).catch((e: unknown) => {
    throw new DomainError("unavailable", `IAM could not be read (${(e as Error).message}); try again later.`);
  });
  if (!role) throw new DomainError("not_found", `IAM has no role ${roleArn}.`);
  const base = { roleArn, current: formatPolicy(readPolicy(role.trustPolicy)), baseHash: trustHash(role.trustPolicy) };
  let open = false;
  try {
    open = openPodIdentityStatements(parseTrustPolicy(role.trustPolicy)).length > 0;
  } catch (e) {
    return { ...base, open, problem: `The trust policy cannot be read: ${(e as Error).message}`, proposed: null, diff: null, impact: [] };
  }
  const none = { ...base, open, proposed: null, diff: null, impact: [] };
  if (!open) return { ...none, problem: "The trust has no unconditioned Pod Identity statement: nothing to tighten." };
  if (!uses.length) return { ...none, problem: "No association in the mappings cache names this role: there is nothing to tighten it to (refresh the mappings, or delete the role)." };
  const proposed = formatPolicy(tightenTrust(role.trustPolicy, uses.map((u) => u.use))!);
  const impact = tighteningImpact(role.trustPolicy, proposed, uses.map((u) => u.use)).map((r, k) => ({ ...r, cluster: uses[k]!.cluster, associationId: uses[k]!.associationId }));
  return { ...base, open, problem: null, proposed, diff: textDiff(base.current, proposed, ["current trust", "tightened trust"]), impact };
}
