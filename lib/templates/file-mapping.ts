// One mapping under an active template: a create request filed through
// fileRequest and approved in its filing transaction under the template's
// approval (the `request.auto_approved` row names the template, its version and
// the request that approved it), then applied by the job runner like any other.
// The SA's running pods started without Pod Identity credentials (it had no
// association), so the request also restarts them after the create, through the
// "restart-pods" kind (planned as revocations plan theirs).
// Exactly once per SA and template name, and never past maxMappings: the claim
// takes a per-template advisory lock and checks both inside the transaction.
// The template's own approval must verify first (verifyApproval: signed by the IAM
// team over these very terms), and the audit trail must not say it was revoked or
// superseded: the filing is signed as approved on its strength, so a template row
// written, widened or re-activated in the database alone must not map anything.
import { addRevocationRestartItems, fileRequest, planRevocationRestarts, verifyApproval, type Actor } from "@/lib/requests";
import type { AssociationTemplate } from "@/lib/db/generated/client";
import type { WatchedCluster } from "./clusters";
import { nowOf, type TemplateDeps } from "./deps";

const DAY_MS = 86_400_000;
const POD_IDENTITY_ENV = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
/** The statuses of a request whose mappings count toward maxMappings (approved and on their way, or in force). */
const IN_FORCE = ["approved", "applying", "applied"] as const;

export type MappingOutcome = { requestId: string } | { skipped: "already-mapped" | "max-mappings" | "inactive" | "unverified"; message: string };

/** The terms a mapping is filed with: the version read before the lock must be the one verified under it. */
const TERMS = ["namespace", "serviceAccountPattern", "clusters", "roleArn", "targetRoleArn", "disableSessionTags", "sessionPolicy", "mappingTtlDays"] as const;
const sameTerms = (a: AssociationTemplate, b: AssociationTemplate) => TERMS.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));

export function templatePolicyName(t: Pick<AssociationTemplate, "name" | "version">): string {
  return `template "${t.name}" v${t.version}`;
}

export async function fileTemplateMapping(
  deps: TemplateDeps,
  t: AssociationTemplate,
  cluster: WatchedCluster,
  serviceAccount: string,
  requester: Actor,
  why: string,
): Promise<MappingOutcome> {
  const at = nowOf(deps);
  const where = { cluster: cluster.name, namespace: t.namespace, serviceAccount };
  // Pods not readable now: the mapping is filed without the restart (the pods show up on /stale-pods).
  const plans = await planRevocationRestarts(deps.kinds, [where]).catch(() => null);
  // Only pods that started without Pod Identity credentials need a restart.
  const restarts = plans?.map((p) => ({ ...p, pods: p.pods.filter((pod) => !(POD_IDENTITY_ENV in (pod.credentialEnv ?? {}))) })).filter((p) => p.pods.length);
  const policy = templatePolicyName(t);
  const reason = `Mapped under the standing approval ${policy} (approved in request ${t.requestId}): ${why}`;
  let skipped: MappingOutcome | null = null;
  const filed = await fileRequest(deps, {
    kind: "create",
    requester,
    justification: reason,
    system: { policy, reason, details: { template: t.name, templateVersion: t.version, templateId: t.id, templateRequestId: t.requestId } },
    async claim(tx) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`template:${t.name}`}))`;
      const current = await tx.associationTemplate.findUnique({ where: { id: t.id } });
      if (current?.status !== "active" || (current.expiresAt && current.expiresAt <= at)) {
        skipped = { skipped: "inactive", message: `${policy} is ${current?.status === "active" ? "expired" : current?.status ?? "gone"}: nothing filed.` };
        return false;
      }
      // The status column is only a claim: a revocation, or a newer version's activation, is also in the append-only trail.
      const withdrawn = await tx.auditEvent.findFirst({
        where: { subject: `template:${t.name}`, OR: [{ event: "template.revoked" }, { event: "template.activated", details: { path: ["templateVersion"], gt: t.version } }] },
        orderBy: { id: "asc" },
      });
      if (withdrawn) {
        skipped = { skipped: "inactive", message: `${policy} was ${withdrawn.event === "template.revoked" ? "revoked" : "superseded"} (audit row ${withdrawn.id}): nothing filed.` };
        return false;
      }
      const approval = current.requestId && sameTerms(current, t) ? await verifyApproval(tx, current.requestId, { kinds: deps.kinds, at }) : null;
      if (!approval?.ok) {
        const why = approval ? approval.reason : current.requestId ? "its terms changed while the mapping was prepared" : "it names no request that approved it";
        skipped = { skipped: "unverified", message: `The approval of ${policy} could not be verified (${why}): ${t.namespace}/${serviceAccount} on ${cluster.name} is not mapped.` };
        return false;
      }
      const mine = { kind: "create", template: { name: t.name } };
      const earlier = await tx.requestItem.findFirst({ where: { ...mine, accountId: cluster.accountId, region: cluster.region, ...where } });
      if (earlier) {
        skipped = { skipped: "already-mapped", message: `${t.namespace}/${serviceAccount} on ${cluster.name} was already mapped under "${t.name}" (request ${earlier.requestId}).` };
        return false;
      }
      if (t.maxMappings !== null) {
        const inForce = await tx.requestItem.count({ where: { ...mine, revocationRequestId: null, status: { not: "failed" }, request: { status: { in: [...IN_FORCE] } } } });
        if (inForce >= t.maxMappings) {
          skipped = { skipped: "max-mappings", message: `${policy} already has ${inForce} mapping(s) in force, its maximum (${t.maxMappings}): ${t.namespace}/${serviceAccount} on ${cluster.name} is not mapped.` };
          return false;
        }
      }
      return true;
    },
    items: [
      {
        kind: "create", cluster: cluster.name, accountId: cluster.accountId, region: cluster.region, namespace: t.namespace, serviceAccount,
        roleArn: t.roleArn, targetRoleArn: t.targetRoleArn, disableSessionTags: t.disableSessionTags, sessionPolicy: t.sessionPolicy,
        mappingExpiresAt: t.mappingTtlDays ? new Date(at.getTime() + t.mappingTtlDays * DAY_MS) : null, templateId: t.id,
      },
    ],
    async more(tx, id, position) {
      if (!restarts?.length) return;
      const restartPods = await addRevocationRestartItems(tx, id, position, restarts, () => cluster, requester.login, `started before ${policy} mapped its service account (no Pod Identity credentials)`, "before-association");
      return { restartPods };
    },
    audit: {
      details: ({ more }) => ({ kind: "create", items: 1, template: t.name, templateVersion: t.version, templateId: t.id, templateRequestId: t.requestId, ...more }),
    },
    notification: `${requester.login} maps ${t.namespace}/${serviceAccount} on ${cluster.name} -> ${t.roleArn} under ${policy}`,
  });
  return filed ? { requestId: filed.id } : skipped!;
}
