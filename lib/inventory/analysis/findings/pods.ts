// Running pods whose credentials do not match their service account's mapping:
// started before the association (no credentials until restarted), before it
// was changed (cached credentials of the old role), Pod Identity env without
// an association (deleted), and IRSA annotation added after the pod started.
import type { SnapshotAssociation, SnapshotCluster, SnapshotPod } from "../../snapshot-types";
import { isActivePod, time } from "./context";
import { findingId, IRSA_ANNOTATION, IRSA_ENV, POD_IDENTITY_ENV, type AnalysisContext, type Finding, type FindingKind, type Severity } from "./types";

const restart = (pods: SnapshotPod[], why: string): Finding["fix"] => {
  const owners = [...new Set(pods.map((p) => (p.ownerKind && p.ownerName ? `${p.ownerKind} ${p.ownerName}` : `pod ${p.name}`)))];
  return {
    kind: "restart-pods",
    description: `Restart so the webhook and agent ${why}: kubectl -n ${pods[0]!.namespace} delete pod ${pods.map((p) => p.name).join(" ")} (owners: ${owners.join(", ")}).`,
  };
};

function make(kind: FindingKind, severity: Severity, c: SnapshotCluster, pods: SnapshotPod[], title: string, detail: string, extra: Partial<Finding>, why: string): Finding {
  const p = pods[0]!;
  return {
    id: findingId(kind, c.arn, p.namespace, p.serviceAccountName, extra.associationId ?? extra.roleArn),
    kind,
    severity,
    title,
    detail,
    accountId: c.accountId,
    cluster: c.name,
    clusterArn: c.arn,
    namespace: p.namespace,
    serviceAccount: p.serviceAccountName,
    pods: pods.map((x) => x.name).sort(),
    ...extra,
    fix: restart(pods, why),
  };
}

function associationPods(c: SnapshotCluster, a: SnapshotAssociation, pods: SnapshotPod[]): Finding[] {
  const out: Finding[] = [];
  const extra = { roleArn: a.roleArn, associationId: a.associationId };
  const where = `${a.namespace}/${a.serviceAccount} on ${c.name}`;
  const before = pods.filter((p) => time(p.creationTimestamp) < time(a.createdAt) && !p.credentialEnv[POD_IDENTITY_ENV]);
  if (before.length) {
    out.push(make("pod-created-before-association", "medium", c, before, `${before.length} pod(s) of ${where} started before its association`, `The association was created ${a.createdAt}; these pods started earlier and have no Pod Identity env, so they get no credentials until restarted.`, extra, "inject Pod Identity credentials"));
  }
  const changedAt = time(a.modifiedAt);
  const stale = pods.filter((p) => p.credentialEnv[POD_IDENTITY_ENV] && time(p.creationTimestamp) < Math.max(changedAt, time(a.createdAt)));
  if (stale.length) {
    out.push(make("pod-predates-association-change", "medium", c, stale, `${stale.length} pod(s) of ${where} predate the association's last change`, `The association was changed ${a.modifiedAt}; the agent caches credentials (about 6 h, 59 min with a target role), so these pods may still act as the previous role.`, extra, "fetch credentials of the current role"));
  }
  return out;
}

export function podFindings(ctx: AnalysisContext): Finding[] {
  return ctx.snapshot.clusters.flatMap(podFindingsForCluster);
}

export function podFindingsForCluster(c: SnapshotCluster): Finding[] {
  const out: Finding[] = [];
  const bySa = new Map<string, SnapshotPod[]>();
  for (const p of c.pods) if (isActivePod(p.phase)) bySa.set(`${p.namespace}/${p.serviceAccountName}`, [...(bySa.get(`${p.namespace}/${p.serviceAccountName}`) ?? []), p]);
  const assoc = new Map(c.associations.map((a) => [`${a.namespace}/${a.serviceAccount}`, a]));
  const sas = new Map(c.serviceAccounts.map((s) => [`${s.namespace}/${s.name}`, s]));
  for (const [key, pods] of bySa) {
    const a = assoc.get(key);
    if (a) out.push(...associationPods(c, a, pods));
    else {
      const orphan = pods.filter((p) => p.credentialEnv[POD_IDENTITY_ENV]);
      if (orphan.length) {
        out.push(make("pod-identity-env-without-association", "medium", c, orphan, `${orphan.length} pod(s) of ${key} on ${c.name} carry Pod Identity env but the SA has no association`, "The association was deleted after they started: they keep cached credentials of the old role until the cache expires, then fail.", {}, "drop the stale Pod Identity env"));
      }
    }
    const roleArn = sas.get(key)?.annotations[IRSA_ANNOTATION];
    if (roleArn) {
      const missing = pods.filter((p) => p.credentialEnv[IRSA_ENV] !== roleArn);
      if (missing.length) {
        out.push(make("pod-missing-irsa-env", "low", c, missing, `${missing.length} pod(s) of ${key} on ${c.name} lack the IRSA env for ${roleArn.split("/").pop()}`, "The annotation was added (or changed) after these pods started: the webhook did not inject AWS_ROLE_ARN for the annotated role.", { roleArn }, "inject AWS_ROLE_ARN"));
      }
    }
  }
  return out;
}
