// Pod Identity trust policies: the recommended statement, and a corrected
// version of an existing trust policy (Pod Identity statement added or
// completed, every other statement kept).
import { ASSUME_ROLE, PODS_SERVICE, TAG_SESSION } from "@/lib/trust";
import { asList, formatPolicy, oneOrMany, readPolicy, type RawPolicy, type RawStatement } from "./policy-json";

export interface PodIdentityTrustOptions {
  /** Recommended: aws:SourceAccount = the cluster's account (confused-deputy guard). */
  sourceAccount?: string;
  /** Default true; false when every association of the role disables session tags. */
  tagSession?: boolean;
  /** Optional aws:RequestTag conditions confining the role to one cluster / namespace / SA. */
  restrictTo?: { clusterArn?: string; namespace?: string; serviceAccount?: string };
  sid?: string;
}

export function podIdentityTrustStatement(opts: PodIdentityTrustOptions = {}): RawStatement {
  const equals: Record<string, string> = {};
  if (opts.sourceAccount) equals["aws:SourceAccount"] = opts.sourceAccount;
  const r = opts.restrictTo ?? {};
  if (r.clusterArn) equals["aws:RequestTag/eks-cluster-arn"] = r.clusterArn;
  if (r.namespace) equals["aws:RequestTag/kubernetes-namespace"] = r.namespace;
  if (r.serviceAccount) equals["aws:RequestTag/kubernetes-service-account"] = r.serviceAccount;
  return {
    Sid: opts.sid ?? "AllowEksAuthToAssumeRoleForPodIdentity",
    Effect: "Allow",
    Principal: { Service: PODS_SERVICE },
    Action: opts.tagSession === false ? ASSUME_ROLE : [ASSUME_ROLE, TAG_SESSION],
    ...(Object.keys(equals).length ? { Condition: { StringEquals: equals } } : {}),
  };
}

export function podIdentityTrustPolicy(opts: PodIdentityTrustOptions = {}): RawPolicy {
  return { Version: "2012-10-17", Statement: [podIdentityTrustStatement(opts)] };
}

const isPodsAllow = (st: RawStatement) => {
  if (st.Effect !== "Allow" || !st.Principal || typeof st.Principal !== "object") return false;
  return asList((st.Principal as Record<string, unknown>).Service).some((s) => String(s).toLowerCase() === PODS_SERVICE);
};

export interface CorrectionOptions extends PodIdentityTrustOptions {
  /** Statement indexes to drop (e.g. an explicit Deny that blocks the association). */
  removeStatements?: number[];
  /** Add a new statement even if an unconditional one exists (the existing one's conditions exclude the SA). */
  addStatement?: boolean;
}

/**
 * The trust policy with Pod Identity fixed: an existing unconditioned-or-not
 * pods.eks.amazonaws.com Allow gets sts:AssumeRole (+ sts:TagSession) added to
 * its actions; without one (or with addStatement) a recommended statement is
 * appended. Every other statement is kept as written.
 */
export function correctPodIdentityTrust(trustPolicy: string, opts: CorrectionOptions = {}): RawPolicy {
  const doc = readPolicy(trustPolicy);
  const drop = new Set(opts.removeStatements ?? []);
  doc.Statement = doc.Statement.filter((_, i) => !drop.has(i));
  const existing = opts.addStatement ? [] : doc.Statement.filter(isPodsAllow);
  if (existing.length === 0) {
    const sids = new Set(doc.Statement.map((s) => s.Sid));
    const sid = sids.has(opts.sid ?? "AllowEksAuthToAssumeRoleForPodIdentity") ? `AllowPodIdentity${doc.Statement.length}` : opts.sid;
    doc.Statement.push(podIdentityTrustStatement({ ...opts, ...(sid ? { sid } : {}) }));
    return doc;
  }
  const st = existing[0]!;
  const actions = asList(st.Action).map(String);
  const want = opts.tagSession === false ? [ASSUME_ROLE] : [ASSUME_ROLE, TAG_SESSION];
  for (const a of want) if (!actions.some((x) => x.toLowerCase() === a.toLowerCase() || x === "sts:*" || x === "*")) actions.push(a);
  st.Action = oneOrMany(actions);
  return doc;
}

export { formatPolicy };
