// What RoleGate itself may do on a cluster's Kubernetes API: the principal its
// credentials act as, whether EKS maps it (access entry), and whether it may
// list service accounts and pods and delete pods (asked of the API server by
// SelfSubjectAccessReview, the authority), with the aws CLI commands that
// grant what is missing. Shown on /clusters; restarts check canDeletePods first.
import { type AccessEntryInfo, type AwsLocation, type EksAccessGateway } from "@/lib/aws";
import type { KubeGateway } from "@/lib/kube";

export const VIEW_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
export const EDIT_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";

export interface ClusterRefForAccess {
  name: string;
  arn?: string;
  accountId: string;
  region: string;
}

export interface RoleGateAccess {
  cluster: string;
  callerArn: string;
  principalArn: string;
  /** The access entry, or null when EKS does not map the principal (every call answers 401). */
  entry: AccessEntryInfo | null;
  canListServiceAccounts: boolean;
  canListPods: boolean;
  /** In the namespace asked about (restarts: the pods' namespace). */
  canDeletePods: boolean;
  deleteNamespace: string;
  /** aws CLI commands that grant what is missing, in order. */
  fixCommands: string[];
}

export interface AccessDeps {
  eksAccess: EksAccessGateway;
  kube: KubeGateway;
  locationFor: (cluster: ClusterRefForAccess) => AwsLocation;
}

export function grantCommands(c: ClusterRefForAccess, principalArn: string, missing: { entry: boolean; view: boolean; deleteIn?: string }): string[] {
  const base = `aws eks --region ${c.region}`;
  const out: string[] = [];
  if (missing.entry) out.push(`${base} create-access-entry --cluster-name ${c.name} --principal-arn ${principalArn}`);
  if (missing.view) out.push(`${base} associate-access-policy --cluster-name ${c.name} --principal-arn ${principalArn} --policy-arn ${VIEW_POLICY_ARN} --access-scope type=cluster`);
  if (missing.deleteIn) out.push(`${base} associate-access-policy --cluster-name ${c.name} --principal-arn ${principalArn} --policy-arn ${EDIT_POLICY_ARN} --access-scope type=namespace,namespaces=${missing.deleteIn}`);
  return out;
}

export async function roleGateAccess(deps: AccessDeps, c: ClusterRefForAccess, deleteNamespace = "domino-compute"): Promise<RoleGateAccess> {
  const location = deps.locationFor(c);
  const callerArn = await deps.eksAccess.callerArn(location);
  const principalArn = await deps.eksAccess.principalArn(location, callerArn);
  const entry = await deps.eksAccess.accessEntry(location, c.name, principalArn);
  const [canListServiceAccounts, canListPods, canDeletePods] = entry
    ? await Promise.all([
        deps.kube.canI(c.name, { verb: "list", resource: "serviceaccounts" }, c.arn),
        deps.kube.canI(c.name, { verb: "list", resource: "pods" }, c.arn),
        deps.kube.canI(c.name, { verb: "delete", resource: "pods", namespace: deleteNamespace }, c.arn),
      ])
    : [false, false, false];
  return {
    cluster: c.name,
    callerArn,
    principalArn,
    entry,
    canListServiceAccounts,
    canListPods,
    canDeletePods,
    deleteNamespace,
    fixCommands: grantCommands(c, principalArn, { entry: !entry, view: !(canListServiceAccounts && canListPods), ...(canDeletePods ? {} : { deleteIn: deleteNamespace }) }),
  };
}
