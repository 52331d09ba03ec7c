// The exact AWS call an item makes when applied, as JSON: shown before anyone approves.
export interface PlannedItem {
  kind: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string | null;
  targetRoleArn: string | null;
  disableSessionTags: boolean;
  sessionPolicy: string | null;
  tags: unknown;
  associationId: string | null;
  clientRequestToken: string;
  iamPolicyName?: string | null;
  iamPolicyDocument?: string | null;
  mappingExpiresAt?: Date | null;
  templateId?: string | null;
}

export interface AwsCallPreview {
  operation: "CreatePodIdentityAssociation" | "UpdatePodIdentityAssociation" | "DeletePodIdentityAssociation" | "UpdateAssumeRolePolicy" | "PutRolePolicy" | "Kubernetes DeletePod" | "RoleGate ExtendMappingExpiry" | "RoleGate ActivateTemplate";
  input: Record<string, unknown>;
}

export const MANAGED_TAG = "rolegate.io/managed-by";

export function itemTags(item: Pick<PlannedItem, "tags">, requestId: string): Record<string, string> {
  return { ...(item.tags as Record<string, string>), [MANAGED_TAG]: "rolegate", "rolegate.io/request-id": requestId };
}

export function previewCall(item: PlannedItem, requestId: string): AwsCallPreview {
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
  const roleName = (item.roleArn ?? "").slice((item.roleArn ?? "").lastIndexOf("/") + 1);
  if (item.kind === "iam-trust-update") return { operation: "UpdateAssumeRolePolicy", input: { RoleName: roleName, PolicyDocument: item.iamPolicyDocument } };
  if (item.kind === "iam-node-role-policy") return { operation: "PutRolePolicy", input: { RoleName: roleName, PolicyName: item.iamPolicyName, PolicyDocument: item.iamPolicyDocument } };
  // What Create and Update both send; an update clears an absent target role or session policy with "".
  const mapping = (clear?: "") => ({
    roleArn: item.roleArn,
    targetRoleArn: item.targetRoleArn ?? clear,
    disableSessionTags: item.disableSessionTags,
    policy: item.sessionPolicy ?? clear,
    clientRequestToken: item.clientRequestToken,
  });
  if (item.kind === "create") {
    const input = { clusterName: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, ...mapping(), tags: itemTags(item, requestId) };
    return { operation: "CreatePodIdentityAssociation", input: clean(input) };
  }
  if (item.kind === "update") return { operation: "UpdatePodIdentityAssociation", input: clean({ clusterName: item.cluster, associationId: item.associationId, ...mapping("") }) };
  // Items of other modules: no AWS call.
  if (item.kind === "restart-pods") return { operation: "Kubernetes DeletePod", input: { cluster: item.cluster, namespace: item.namespace, serviceAccount: item.serviceAccount, pods: "the planned pods of this service account (controllers re-create them)" } };
  // A standing approval: no AWS call until it maps a service account (each mapping is a create request of its own).
  if (item.kind === "template") return { operation: "RoleGate ActivateTemplate", input: { templateId: item.templateId, clusterName: item.cluster, namespace: item.namespace, serviceAccountPattern: item.serviceAccount, roleArn: item.roleArn, targetRoleArn: item.targetRoleArn ?? undefined, disableSessionTags: item.disableSessionTags, policy: item.sessionPolicy ?? undefined } };
  if (item.kind === "extend-expiry") return { operation: "RoleGate ExtendMappingExpiry", input: { extendsItem: item.iamPolicyName, associationId: item.associationId, mappingExpiresAt: item.mappingExpiresAt?.toISOString() } };
  return { operation: "DeletePodIdentityAssociation", input: { clusterName: item.cluster, associationId: item.associationId } };
}
