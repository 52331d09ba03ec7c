// One request item in words, for the decision screen ("what changes"); the exact
// AWS call is previewCall (preview.ts). Plain data: the page's client bundle imports it.

type Item = {
  kind: string;
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string | null;
  targetRoleArn?: string | null;
  subjectRoleArn?: string | null;
  disableSessionTags?: boolean;
  sessionPolicy?: string | null;
  mappingExpiresAt?: string | Date | null;
  iamPolicyName?: string | null;
};

export const roleNameOf = (arn: string | null | undefined) => (arn ? arn.slice(arn.lastIndexOf("/") + 1) : "(no role)");

/** "Pods of domino-compute/alice on prod-a get role data-reader (session tags off)". */
export function describeItem(i: Item): string {
  const sa = `${i.namespace}/${i.serviceAccount} on ${i.cluster}`;
  const extras = [
    i.targetRoleArn ? `then role ${roleNameOf(i.targetRoleArn)} (chained)` : "",
    i.disableSessionTags ? "session tags off" : "",
    i.sessionPolicy ? "limited by a session policy" : "",
    i.mappingExpiresAt ? `until ${new Date(i.mappingExpiresAt).toISOString().slice(0, 16).replace("T", " ")} UTC` : "",
  ].filter(Boolean);
  const tail = extras.length ? ` (${extras.join(", ")})` : "";
  switch (i.kind) {
    case "create":
      return `Pods of ${sa} get role ${roleNameOf(i.roleArn)} through Pod Identity${tail}.`;
    case "update":
      return `Pods of ${sa} switch from role ${roleNameOf(i.subjectRoleArn)} to ${roleNameOf(i.roleArn)}${tail}; running pods keep the old credentials until restarted.`;
    case "delete":
      return `Pods of ${sa} lose role ${roleNameOf(i.subjectRoleArn ?? i.roleArn)}; running pods keep cached credentials until restarted.`;
    case "adopt":
      return `RoleGate takes over the existing association of ${sa} to role ${roleNameOf(i.roleArn)} (no change in AWS but its tags).`;
    case "iam-trust-update":
      return `The trust policy of role ${roleNameOf(i.roleArn)} is replaced (for ${sa}): see the statements below.`;
    case "iam-node-role-policy":
      return `Node role ${roleNameOf(i.roleArn)} gets inline policy ${i.iamPolicyName ?? ""} (for ${sa}): see the statements below.`;
    case "restart-pods":
      return `The running pods of ${sa} are deleted so that they restart with current credentials.`;
    case "extend-expiry":
      return `The mapping of ${sa} stays until a later expiry${tail}.`;
    default:
      return `${i.kind} for ${sa}.`;
  }
}

/** The AWS call as JSON, with a policy document shown as the JSON it is (the call sends it serialized). */
export function awsCallText(call: { operation: string; input: Record<string, unknown> } | null | undefined): string {
  if (!call) return "";
  const doc = call.input.PolicyDocument;
  if (typeof doc !== "string") return JSON.stringify(call, null, 2);
  try {
    return JSON.stringify({ ...call, input: { ...call.input, PolicyDocument: JSON.parse(doc) } }, null, 2);
  } catch {
    return JSON.stringify(call, null, 2);
  }
}
