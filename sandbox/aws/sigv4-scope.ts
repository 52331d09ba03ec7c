// Routing by SigV4 credential scope: "Credential=AKID/20261127/us-east-1/eks/aws4_request".
// Signatures are not verified: the sandbox trusts whoever calls it; the access
// key id only selects the calling account.
import { AwsError } from "./errors";

interface SigningScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string): SigningScope | null {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !parts[0] || !parts[2] || !parts[3]) return null;
  return { accessKeyId: parts[0], date: parts[1]!, region: parts[2], service: parts[3] };
}

/**
 * Reads the scope from the Authorization header or, for presigned URLs, from
 * X-Amz-Credential. Throws the error AWS gives for a missing or broken header.
 */
export function signingScope(authorization: string | undefined, query: URLSearchParams): SigningScope {
  if (!authorization) {
    const presigned = query.get("X-Amz-Credential");
    if (presigned) {
      const scope = parseCredential(presigned);
      if (scope) return scope;
      throw new AwsError("IncompleteSignatureException", `Credential should be scoped to a valid region. ${presigned}`, 400);
    }
    throw new AwsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
  }
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization.trim());
  if (!m) {
    throw new AwsError(
      "IncompleteSignatureException",
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization=${authorization}`,
      400,
    );
  }
  const fields = new Map<string, string>();
  for (const part of m[1]!.split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ["Credential", "SignedHeaders", "Signature"].filter((f) => !fields.get(f));
  if (missing.length > 0) {
    throw new AwsError(
      "IncompleteSignatureException",
      missing.map((f) => `Authorization header requires '${f}' parameter.`).join(" ") + ` Authorization=${authorization}`,
      400,
    );
  }
  const scope = parseCredential(fields.get("Credential")!);
  if (!scope) {
    throw new AwsError(
      "IncompleteSignatureException",
      `Credential should be scoped to a valid region. Credential=${fields.get("Credential")}`,
      400,
    );
  }
  return scope;
}
