// The migration's last step, filed separately and only once the SA runs on Pod
// Identity: remove that SA's IRSA subject from the role's statements of THIS
// cluster's OIDC provider (one "iam-trust-update" item, IAM team approval).
// Other subjects, other clusters' issuers and every other statement stay.
// Filing is refused while a precheck fails (migration not applied, association
// missing or mapping another role, pods still without Pod Identity credentials).
import { DomainError } from "@/lib/core/errors";
import { formatPolicy } from "@/lib/inventory/fixes/policy-json";
import { textDiff } from "@/lib/inventory/fixes/diff";
import type { AwsLocation } from "@/lib/aws/types";
import { fileRequest, resolveLocation, trustHash, type Actor, type PrecheckResult, type RequestsDeps } from "@/lib/requests";
import { CLEANUP_TAG, MIGRATION_TAG, type MigrationDeps, type MigrationTarget } from "./file-migration";
import { providerArnOf, removeIrsaSubject, type SubjectRemoval } from "./trust-edit";

const POD_IDENTITY_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI";

export interface CleanupPlan {
  prechecks: PrecheckResult[];
  ready: boolean;
  providerArn: string | null;
  before: string | null;
  after: string | null;
  diff: string | null;
  wildcards: string[];
}

/**
 * The role's trust as IAM has it now and the edit that removes the SA's subject
 * from the statements of THIS cluster's provider only (also the access reviews'
 * IRSA revocation); `problem` when the cluster's issuer or the role cannot be read.
 */
export async function readSubjectRemoval(deps: Pick<RequestsDeps, "aws">, location: AwsLocation, t: MigrationTarget): Promise<{ providerArn: string; trustPolicy: string; removal: SubjectRemoval } | { problem: string }> {
  const cluster = await deps.aws.eks.findCluster(location, t.cluster).catch(() => undefined);
  const roleAccount = t.roleArn.split(":")[4]!;
  const role = await deps.aws.iam.getRole({ ...location, accountId: roleAccount }, t.roleArn).catch(() => undefined);
  if (!role) return { problem: `Role ${t.roleArn} could not be read.` };
  if (!cluster?.oidcIssuer) return { problem: `Cluster ${t.cluster} has no OIDC issuer (or it could not be read).` };
  const providerArn = providerArnOf(roleAccount, cluster.oidcIssuer);
  return { providerArn, trustPolicy: role.trustPolicy, removal: removeIrsaSubject(role.trustPolicy, providerArn, t.namespace, t.serviceAccount) };
}

/** What the clean-up would change and whether it may be filed now (also shown on the page). */
export async function planIrsaCleanup(deps: MigrationDeps, t: MigrationTarget): Promise<CleanupPlan> {
  const location = await resolveLocation(deps.prisma, deps.targets, { cluster: t.cluster });
  const checks: PrecheckResult[] = [];
  const check = (id: string, ok: boolean, message: string) => checks.push({ id, item: 0, status: ok ? "pass" : "fail", message });
  const migrated = await deps.prisma.requestItem.findFirst({
    where: { kind: "create", status: "applied", cluster: t.cluster, namespace: t.namespace, serviceAccount: t.serviceAccount, roleArn: t.roleArn, request: { justification: { startsWith: MIGRATION_TAG } } },
    include: { request: { include: { items: true } } },
    orderBy: { appliedAt: "desc" },
  });
  const restarted = migrated?.request.items.find((i) => i.kind === "restart-pods");
  check("migration-applied", !!migrated && restarted?.status === "applied", migrated ? (restarted?.status === "applied" ? `Migration request ${migrated.requestId} applied (association and pod restart).` : `Migration request ${migrated.requestId}: pod restart not applied yet.`) : "No applied migration request for this SA and role: file and apply step 1 first.");
  const association = await deps.aws.eks.findAssociation(location, t.cluster, t.namespace, t.serviceAccount).catch(() => undefined);
  check("association-in-place", !!association && association.roleArn === t.roleArn, association ? `Association ${association.associationId} maps ${association.roleArn}.` : "No Pod Identity association for the SA in AWS now.");
  const pods = (await deps.kube.listPods(t.cluster, { namespace: t.namespace })).filter((p) => p.serviceAccountName === t.serviceAccount && p.phase !== "Succeeded" && p.phase !== "Failed");
  const without = pods.filter((p) => !(POD_IDENTITY_ENV in p.credentialEnv));
  check("pods-on-pod-identity", without.length === 0, without.length ? `${without.length} running pod(s) still without Pod Identity credentials (${without.slice(0, 3).map((p) => p.name).join(", ")}): restart them first.` : `All ${pods.length} running pod(s) of the SA have Pod Identity credentials.`);

  const read = await readSubjectRemoval(deps, location, t);
  let plan: Omit<CleanupPlan, "prechecks" | "ready"> = { providerArn: null, before: null, after: null, diff: null, wildcards: [] };
  if ("problem" in read) {
    check("subject-found", false, read.problem);
  } else {
    const { providerArn, removal: r, trustPolicy } = read;
    const before = formatPolicy(JSON.parse(trustPolicy));
    const after = formatPolicy(r.policy);
    plan = { providerArn, before, after, diff: textDiff(before, after, ["current trust", "after clean-up"]), wildcards: r.wildcards };
    check("subject-found", r.edited.length + r.dropped.length > 0, r.edited.length + r.dropped.length ? `system:serviceaccount:${t.namespace}:${t.serviceAccount} removed from ${r.edited.length + r.dropped.length} statement(s) of ${providerArn} only.` : `No statement of ${providerArn} names the SA exactly: nothing to remove.`);
    if (r.wildcards.length) checks.push({ id: "wildcard-subjects", item: 0, status: "warn", message: `Wildcard subject(s) ${r.wildcards.join(", ")} still let the SA in through IRSA; they are left in place (other SAs rely on them).` });
    if (r.policy.Statement.length === 0) check("trust-not-empty", false, "The trust policy would have no statement left.");
  }
  return { prechecks: checks, ready: checks.every((c) => c.status !== "fail"), ...plan };
}

export async function fileIrsaCleanup(deps: MigrationDeps, actor: Actor, t: MigrationTarget, justification?: string): Promise<{ id: string; status: string; prechecks: PrecheckResult[] }> {
  const plan = await planIrsaCleanup(deps, t);
  if (!plan.ready) {
    const failed = plan.prechecks.filter((c) => c.status === "fail");
    throw new DomainError("invalid", `IRSA clean-up not filed: ${failed.map((c) => c.message).join(" ")}`);
  }
  const open = await deps.prisma.requestItem.findFirst({
    where: { kind: "iam-trust-update", roleArn: t.roleArn, namespace: t.namespace, serviceAccount: t.serviceAccount, cluster: t.cluster, request: { justification: { startsWith: CLEANUP_TAG }, status: { in: ["pending", "approved", "applying"] } } },
  });
  if (open) throw new DomainError("conflict", `An IRSA clean-up for this SA is already open: request ${open.requestId}.`);
  const location = await resolveLocation(deps.prisma, deps.targets, { cluster: t.cluster });
  const item = { cluster: t.cluster, namespace: t.namespace, serviceAccount: t.serviceAccount, roleArn: t.roleArn };
  // An "iam-trust-update" item: the IAM team approves it (item-kinds.ts).
  const { id } = await fileRequest(deps, {
    kind: "batch",
    requester: actor,
    justification: `${CLEANUP_TAG} ${justification ?? `Remove IRSA subject of ${t.namespace}/${t.serviceAccount} on ${t.cluster} from ${t.roleArn}: it runs on Pod Identity now.`}`,
    prechecks: plan.prechecks,
    items: [
      {
        kind: "iam-trust-update", cluster: t.cluster, accountId: location.accountId, region: location.region,
        namespace: t.namespace, serviceAccount: t.serviceAccount, roleArn: t.roleArn, iamPolicyName: null, iamPolicyDocument: JSON.stringify(JSON.parse(plan.after!)),
        // Apply refuses to overwrite a trust that changed after filing (lib/requests/trust-guard.ts).
        iamBaseHash: trustHash(plan.before!),
      },
    ],
    audit: {
      item,
      details: ({ policy }) => ({ kind: "batch", migrationStep: "irsa-cleanup", providerArn: plan.providerArn, iamItems: [`iam-trust-update ${t.roleArn}`], requiredApprovals: policy.requiredApprovals }),
    },
    notification: `${actor.login} asks to remove the IRSA subject of ${t.namespace}/${t.serviceAccount} on ${t.cluster} from ${t.roleArn}`,
  });
  return { id, status: "pending", prechecks: plan.prechecks };
}
