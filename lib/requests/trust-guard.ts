// Lost-update guard for "iam-trust-update" and "iam-node-role-policy" items: the new trust policy is computed
// from the role's trust as IAM had it at filing; its hash is stored on the item
// (iamBaseHash) and apply reads the trust again and refuses to overwrite a trust
// that changed since (someone edited it out of band, or another request applied).
import { createHash } from "node:crypto";

/** sha256 of a trust policy document, insensitive to whitespace (parsed and re-serialised when it is JSON). */
export function trustHash(document: string): string {
  let canonical = document;
  try {
    canonical = JSON.stringify(JSON.parse(document));
  } catch {
    canonical = document.trim();
  }
  return createHash("sha256").update(canonical).digest("hex");
}

/** sha256 of an inline policy (whitespace-insensitive); a fixed marker when the role has no policy of that name. */
export function policyHash(document: string | null): string {
  return document === null ? "absent" : trustHash(document);
}

export const NODE_POLICY_CHANGED = "RolePolicyChanged";

export function nodePolicyChangedMessage(roleArn: string, policyName: string): string {
  return `the inline policy ${policyName} of ${roleArn} changed since this request was filed; file it again`;
}

export const TRUST_CHANGED = "TrustPolicyChanged";

export function trustChangedMessage(roleArn: string): string {
  return `the trust policy of ${roleArn} changed since this request was filed; file it again`;
}
